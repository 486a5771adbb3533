import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { createRegistrar, listRegistrars } from "@/lib/registrars";

export const dynamic = "force-dynamic";

export const GET = handler(async () => json(await listRegistrars()));

export const POST = handler(async (req, ctx) => json(await createRegistrar(await readJson(req), userOf(ctx).username), 201), { auth: "admin" });
