import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createWebhook, listAlertChannels } from "@/lib/alerts";

export const dynamic = "force-dynamic";

export const GET = handler(async () => json(await listAlertChannels("webhook")));

export const POST = handler(async (req, ctx) => json(await createWebhook(await readJson(req), userOf(ctx).username), 201), { auth: "admin" });
