import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { setSiteMaintenance } from "@/lib/alerts/maintenance";
import { siteMaintenanceResultSchema } from "@/lib/alerts/model";

/** Every phone of a site in or out of maintenance: `{site, maintenance}` → `{site, maintenance, devices}`. */
export const POST = handler(async (req, ctx) => reply(siteMaintenanceResultSchema, await setSiteMaintenance(await readJson(req), userOf(ctx).username)), { auth: "admin" });
