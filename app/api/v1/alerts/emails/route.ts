import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createEmailChannel, listAlertChannels } from "@/lib/alerts";

export const dynamic = "force-dynamic";

export const GET = handler(async () => json(await listAlertChannels("email")));

export const POST = handler(async (req, ctx) => json(await createEmailChannel(await readJson(req), userOf(ctx).username), 201), { auth: "admin" });
