import "server-only";
import { readFileSync } from "node:fs";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { logger } from "@/lib/api/logger";
import { getDb } from "@/lib/db";
import { applyPatch, loadDesiredConfig } from "@/lib/config-store";
import { audit } from "@/lib/db/audit";
import { devices } from "@/lib/db/schema";
import { deviceInputSchema } from "./device-input";
import { insertDevices } from "./devices";

// The emulator's `--manifest` file: the demo adds its fleet to the inventory without anyone typing it in.
// A mixed fleet's manifest also says how each phone is reached (`api`: json|web, `provisioning`) and its key tree, so
// each is added with the right driver, model and MAC; an older manifest without them gives JSON-API mt505 phones.
const manifestSchema = z.array(
  z.object({
    name: z.string(),
    address: z.string(),
    username: z.string(),
    password: z.string(),
    sipUser: z.string().optional(),
    mac: z.string().optional(),
    keyProfile: z.string().optional(),
    api: z.enum(["json", "web"]).optional(),
    provisioning: z.boolean().optional(),
  }),
);

type ManifestEntry = z.infer<typeof manifestSchema>[number];

function driverOf(e: ManifestEntry): "api" | "web" | "provisioning" {
  return e.provisioning ? "provisioning" : e.api === "web" ? "web" : "api";
}

/**
 * Adds the manifest's devices that the inventory does not have yet (matched by address); returns their ids.
 * `provisioningValues`: the desired config of each added provisioning phone (plus its SIP user from the manifest) —
 * the portal cannot read such a phone, so without it its first file would carry catalog defaults (no proxy).
 */
export async function seedFromManifest(file: string, site = "demo", provisioningValues?: Record<string, unknown>): Promise<string[]> {
  const entries = manifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const inputs = entries.map((e) =>
    deviceInputSchema.parse({
      name: e.name,
      address: e.address,
      username: e.username,
      password: e.password,
      site,
      tags: ["emulated", driverOf(e)],
      driver: driverOf(e),
      ...(e.keyProfile ? { model: e.keyProfile } : {}),
      ...(e.mac ? { mac: e.mac } : {}),
    }),
  );
  if (!inputs.length) return [];
  const db = await getDb();
  const added = await db.transaction(async (tx) => {
    const known = await tx.select({ address: devices.address }).from(devices).where(inArray(devices.address, inputs.map((i) => i.address)));
    const have = new Set(known.map((k) => k.address));
    const rows = await insertDevices(tx, inputs.filter((i) => !have.has(i.address)));
    if (provisioningValues) {
      for (const row of rows.filter((r) => r.driver === "provisioning")) {
        const sipUser = entries.find((e) => e.address === row.address)?.sipUser;
        const values = { ...provisioningValues, ...(sipUser ? { "voip/line/0/id": sipUser, "voip/line/0/auth_name": sipUser } : {}) };
        const r = await applyPatch(tx, row.id, await loadDesiredConfig(tx, row.id, true), values, "system");
        if (!r.ok) throw new Error(`SEED_PROVISIONING_CONFIG is not a valid configuration: ${Object.entries(r.fields).map(([k, m]) => `${k}: ${m}`).join("; ")}`);
      }
    }
    if (rows.length) await audit(tx, { actor: "system", action: "device.seed", details: { file, added: rows.length } });
    return rows.map((r) => r.id);
  });
  logger.info({ file, added: added.length }, "devices added from the emulator manifest");
  return added;
}
