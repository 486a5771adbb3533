import { handler, json, readJson, userOf } from "@/lib/api/handler";
import { setSiteMaintenance } from "@/lib/alerts/maintenance";

/** Every phone of a site in or out of maintenance: `{site, maintenance}` → `{site, maintenance, devices}`. */
export const POST = handler(async (req, ctx) => json(await setSiteMaintenance(await readJson(req), userOf(ctx).username)), { auth: "admin" });
