// Maintenance per site: every phone of a site in (or out of) maintenance at once, audited as one entry.
import "server-only";
import { eq } from "drizzle-orm";
import { parseWith } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { devices } from "@/lib/db/schema";
import { siteMaintenanceSchema, type SiteMaintenanceResult } from "./model";

export async function setSiteMaintenance(body: unknown, actor: string): Promise<SiteMaintenanceResult> {
  const { site, maintenance } = parseWith(siteMaintenanceSchema, body);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx.update(devices).set({ maintenance, updatedAt: new Date() }).where(eq(devices.site, site)).returning({ id: devices.id });
    await audit(tx, { actor, action: "site.maintenance", targetType: "site", targetId: site, details: { maintenance, devices: rows.length } });
    return { site, maintenance, devices: rows.length };
  });
}
