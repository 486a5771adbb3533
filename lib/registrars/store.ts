// Registrars in the database, and the device identities bindings are matched against.
import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { AppError, notFound } from "@/lib/errors";
import type { DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { deviceConfigs, devices, registrars } from "@/lib/db/schema";
import { isUuid } from "@/lib/inventory/devices";
import type { DeviceIdentity } from "./match";
import type { RegistrarInput, RegistrarKind } from "./model";

export interface RegistrarRow {
  id: string;
  name: string;
  kind: RegistrarKind;
  url: string;
  createdAt: Date;
}

const isUniqueViolation = (err: unknown): boolean => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === "23505") return true;
  return false;
};

export async function listRegistrarRows(db: DbOrTx): Promise<RegistrarRow[]> {
  return (await db.select().from(registrars).orderBy(asc(registrars.name))) as RegistrarRow[];
}

export async function insertRegistrar(db: DbOrTx, input: RegistrarInput, actor: string): Promise<RegistrarRow> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(registrars).values(input).returning();
      await audit(tx, { actor, action: "registrar.create", targetType: "registrar", targetId: row.id, details: { ...input } });
      return row as RegistrarRow;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `A registrar named ${input.name} already exists`, { fields: { name: "A registrar with this name already exists" } });
    throw err;
  }
}

export async function deleteRegistrarRow(db: DbOrTx, id: string, actor: string): Promise<void> {
  if (!isUuid(id)) throw notFound("Registrar");
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(registrars).where(eq(registrars.id, id)).returning();
    if (!row) throw notFound("Registrar");
    await audit(tx, { actor, action: "registrar.delete", targetType: "registrar", targetId: id, details: { name: row.name, url: row.url } });
  });
}

const hostOf = (address: string) => address.slice(0, address.lastIndexOf(":")).toLowerCase();

/** Every device's SIP user (its desired config's line 1 user id) and the hosts it lives on. */
export async function loadIdentities(db: DbOrTx): Promise<DeviceIdentity[]> {
  const rows = await db
    .select({ id: devices.id, address: devices.address, sipUser: sql<string | null>`${deviceConfigs.values} ->> 'voip/line/0/id'` })
    .from(devices)
    .leftJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id));
  return rows.map((r) => ({ id: r.id, sipUser: r.sipUser || null, hosts: [hostOf(r.address)] }));
}
