import "server-only";
import { and, asc, eq, ilike, isNull, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { ApiError, notFound } from "@/lib/api/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { getDb, type DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { deviceConfigs, deviceStatus, devices, type ProxyRole, type RegistrationState } from "@/lib/db/schema";
import { deviceInputSchema, devicePatchSchema, type DeviceInput, type DevicePatch } from "./device-input";

/** A device as the API returns it: never the password, only whether one is stored. */
export interface Device {
  id: string;
  name: string;
  address: string;
  username: string;
  hasPassword: boolean;
  site: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  /** List items only: current registration (null = not polled yet), from device_status. */
  status?: DeviceStatusBrief | null;
}

export interface DeviceStatusBrief {
  state: RegistrationState;
  proxy: ProxyRole | null;
  since: string;
}

/** `status` filter of the list: a registration state, "failed_over" (registered to the redundant proxy), "unknown" (not polled yet). */
export const STATUS_FILTERS = ["registered", "registering", "unregistered", "failed", "unreachable", "failed_over", "unknown"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

type Row = typeof devices.$inferSelect;

export function toDevice(r: Row): Device {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    username: r.username,
    hasPassword: r.passwordEnc !== null,
    site: r.site,
    tags: r.tags,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Not-a-uuid ids are simply unknown (PostgreSQL would otherwise raise a cast error). */
export const isUuid = (id: string) => UUID.test(id);

// An empty password means "no password"; absent means "keep" (handled by the callers).
const encryptOrNull = (pw: string | undefined) => (pw ? encryptSecret(pw) : null);

export const duplicateAddress = (address: string) =>
  new ApiError(409, "conflict", `A device with address ${address} already exists`, { fields: { address: "A device with this address already exists" } });

export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}

export const deviceQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  site: z.string().max(100).optional(),
  tag: z.string().max(40).optional(),
  status: z.enum(STATUS_FILTERS, { error: `status must be one of ${STATUS_FILTERS.join(", ")}` }).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(10000).default(100),
  offset: z.coerce.number({ error: "offset must be a number" }).int().min(0).default(0),
});
export type DeviceQuery = z.input<typeof deviceQuerySchema>;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);

/** The list's filter (search, site, tag, registration status) as SQL; the query must left-join device_status. */
export function deviceFilterConditions(f: { q?: string; site?: string; tag?: string; status?: StatusFilter }): SQL[] {
  const conds: SQL[] = [];
  if (f.q) {
    const p = `%${likeEscape(f.q)}%`;
    conds.push(or(ilike(devices.name, p), ilike(devices.address, p), ilike(devices.site, p))!);
  }
  if (f.site) conds.push(eq(devices.site, f.site));
  if (f.tag) conds.push(sql`${f.tag} = any(${devices.tags})`);
  if (f.status) conds.push(statusCondition(f.status));
  return conds;
}

export async function listDevices(query: DeviceQuery = {}): Promise<{ items: Device[]; total: number }> {
  const q = deviceQuerySchema.parse(query);
  const conds = deviceFilterConditions(q);
  const where = conds.length ? and(...conds) : undefined;
  const db = await getDb();
  // device_status is joined for the status column and filter (one row per device at most: its primary key).
  const rows = await db
    .select({ device: devices, status: { state: deviceStatus.state, proxy: deviceStatus.proxy, since: deviceStatus.since } })
    .from(devices)
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id))
    .where(where)
    .orderBy(asc(devices.name), asc(devices.id))
    .limit(q.limit)
    .offset(q.offset);
  // A short, non-empty page is the last one: the total is known without a second scan (a search's ILIKE scans every
  // row, so this halves a narrow search at 10,000 devices — bench/inventory-10k.ts). Otherwise count.
  const total =
    rows.length > 0 && rows.length < q.limit
      ? q.offset + rows.length
      : (await db.select({ total: sql<number>`count(*)::int` }).from(devices).leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id)).where(where))[0].total;
  return {
    items: rows.map((r) => ({
      ...toDevice(r.device),
      status: r.status ? { state: r.status.state, proxy: r.status.proxy, since: r.status.since.toISOString() } : null,
    })),
    total,
  };
}

function statusCondition(status: StatusFilter): SQL {
  // "unknown": never polled yet (no status row).
  if (status === "unknown") return isNull(deviceStatus.state);
  if (status === "failed_over") return and(eq(deviceStatus.state, "registered"), eq(deviceStatus.proxy, "redundant"))!;
  return eq(deviceStatus.state, status);
}

export async function getDevice(id: string): Promise<Device> {
  if (!isUuid(id)) throw notFound("Device");
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.id, id)).limit(1);
  if (!row) throw notFound("Device");
  return toDevice(row);
}

/** Inserts validated devices (and their empty desired config) inside the caller's transaction. */
export async function insertDevices(tx: DbOrTx, inputs: DeviceInput[]): Promise<Row[]> {
  if (!inputs.length) return [];
  const rows = await tx
    .insert(devices)
    .values(
      inputs.map((d) => ({
        name: d.name,
        address: d.address,
        username: d.username ?? "",
        passwordEnc: encryptOrNull(d.password),
        site: d.site ?? "",
        tags: d.tags ?? [],
      })),
    )
    .returning();
  await tx.insert(deviceConfigs).values(rows.map((r) => ({ deviceId: r.id })));
  return rows;
}

export async function createDevice(input: unknown, actor: string): Promise<Device> {
  const d = deviceInputSchema.parse(input);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await insertDevices(tx, [d]);
      await audit(tx, { actor, action: "device.create", targetType: "device", targetId: row.id, details: { name: row.name, address: row.address } });
      return toDevice(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateAddress(d.address);
    throw err;
  }
}

export async function updateDevice(id: string, patch: unknown, actor: string): Promise<Device> {
  if (!isUuid(id)) throw notFound("Device");
  const p: DevicePatch = devicePatchSchema.parse(patch);
  const set: Partial<typeof devices.$inferInsert> = { updatedAt: new Date() };
  if (p.name !== undefined) set.name = p.name;
  if (p.address !== undefined) set.address = p.address;
  if (p.username !== undefined) set.username = p.username;
  if (p.password !== undefined) set.passwordEnc = encryptOrNull(p.password);
  if (p.site !== undefined) set.site = p.site;
  if (p.tags !== undefined) set.tags = p.tags;
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [old] = await tx.select().from(devices).where(eq(devices.id, id)).for("update");
      const [row] = await tx.update(devices).set(set).where(eq(devices.id, id)).returning();
      if (!old || !row) throw notFound("Device");
      // Record which fields changed, with before/after values — never the password itself.
      const changed = Object.keys(p).filter((k) => p[k as keyof DevicePatch] !== undefined);
      const shown = changed.filter((k): k is "name" | "address" | "username" | "site" | "tags" => k !== "password");
      const before = Object.fromEntries(shown.map((k) => [k, old[k]]));
      const after = Object.fromEntries(shown.map((k) => [k, row[k]]));
      await audit(tx, { actor, action: "device.update", targetType: "device", targetId: id, details: { changed, before, after } });
      return toDevice(row);
    });
  } catch (err) {
    if (isUniqueViolation(err) && p.address) throw duplicateAddress(p.address);
    throw err;
  }
}

export async function deleteDevice(id: string, actor: string): Promise<void> {
  if (!isUuid(id)) throw notFound("Device");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(devices).where(eq(devices.id, id)).returning({ name: devices.name, address: devices.address });
    if (!row) throw notFound("Device");
    await audit(tx, { actor, action: "device.delete", targetType: "device", targetId: id, details: row });
  });
}

/** Address and decrypted credentials, for the server-side device client only (never for a browser). */
export async function getDeviceCredentials(id: string): Promise<{ address: string; username: string; password: string | null }> {
  if (!isUuid(id)) throw notFound("Device");
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.id, id)).limit(1);
  if (!row) throw notFound("Device");
  return { address: row.address, username: row.username, password: row.passwordEnc ? decryptSecret(row.passwordEnc) : null };
}
