import "server-only";
import { readFileSync } from "node:fs";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { logger } from "@/lib/api/logger";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { devices } from "@/lib/db/schema";
import { deviceInputSchema } from "./device-input";
import { insertDevices } from "./devices";

// The emulator's `--manifest` file: the demo adds its fleet to the inventory without anyone typing it in.
const manifestSchema = z.array(
  z.object({ name: z.string(), address: z.string(), username: z.string(), password: z.string(), sipUser: z.string().optional() }),
);

/** Adds the manifest's devices that the inventory does not have yet (matched by address); returns their ids. */
export async function seedFromManifest(file: string, site = "demo"): Promise<string[]> {
  const entries = manifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const inputs = entries.map((e) =>
    deviceInputSchema.parse({ name: e.name, address: e.address, username: e.username, password: e.password, site, tags: ["emulated"] }),
  );
  if (!inputs.length) return [];
  const db = await getDb();
  const added = await db.transaction(async (tx) => {
    const known = await tx.select({ address: devices.address }).from(devices).where(inArray(devices.address, inputs.map((i) => i.address)));
    const have = new Set(known.map((k) => k.address));
    const rows = await insertDevices(tx, inputs.filter((i) => !have.has(i.address)));
    if (rows.length) await audit(tx, { actor: "system", action: "device.seed", details: { file, added: rows.length } });
    return rows.map((r) => r.id);
  });
  logger.info({ file, added: added.length }, "devices added from the emulator manifest");
  return added;
}
