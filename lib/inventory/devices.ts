import "server-only";
import { and, asc, desc, eq, ilike, isNull, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";
import { AppError, notFound, validationFailed } from "@/lib/errors";
import { deviceNetworkErrors } from "@/lib/device/networks";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { getDb, type DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { deviceConfigs, deviceInfo, deviceStatus, devices, type ProxyRole, type RegistrationState } from "@/lib/db/schema";
import { CONFIG_STATES, type ConfigState } from "@/lib/states";
import type { DriverDevice } from "@/lib/device/drivers/types";
import { DRIVERS, type DriverKind } from "@/lib/device/kinds";
import { MODELS, type ModelId } from "@/lib/params/profiles/data";
import { DEVICE_SORTS, STATUS_FILTERS, type DeviceSort, type StatusFilter } from "./schemas";
import { deviceInputSchema, devicePatchSchema, macRequiredError, type DeviceInput, type DevicePatch } from "./device-input";

/** A device as the API returns it: never the password, only whether one is stored. */
export interface Device {
  id: string;
  name: string;
  address: string;
  username: string;
  hasPassword: boolean;
  site: string;
  tags: string[];
  driver: DriverKind;
  model: ModelId;
  /** Lower-case hex, no separators; null = not known. */
  mac: string | null;
  /** host[:port] of its SIP user agent as entered; null = registered contact / address on 5060. */
  sipAddress: string | null;
  /** Per-device provisioning username ("" = the shared credentials); the password is never returned. */
  provisioningUsername: string;
  hasProvisioningPassword: boolean;
  /** Alerts silenced; shown as "maintenance" instead of "unreachable". */
  maintenance: boolean;
  createdAt: string;
  updatedAt: string;
  /** List items only: current registration (null = not polled yet), from device_status. */
  status?: DeviceStatusBrief | null;
  /** List items only: the config state as GET …/config reports it (never_read until the phone was read). */
  configState?: ConfigState;
  /** List items only: the line's SIP user ID as the portal holds it (null = none / never read). */
  sipExtension?: string | null;
  /** List items only: the firmware the phone reported and when (null = not read yet). */
  firmware?: { version: string; readAt: string } | null;
  /** List items only: when the phone last answered a status poll (stored; the route adds this process's newer answer). */
  lastSeenAt?: string | null;
}

export { DEVICE_SORTS, STATUS_FILTERS, type DeviceSort, type StatusFilter } from "./schemas";
const EXTENSION_KEY = "voip/line/0/id";


export interface DeviceStatusBrief {
  state: RegistrationState;
  proxy: ProxyRole | null;
  since: string;
}


type Row = typeof devices.$inferSelect;

/**
 * The device's config state as lib/config-store reports it, per device row (a correlated subquery: no join, so the
 * list, its count and a bulk selection share the condition): no baseline yet (or the legacy never_pushed) → never_read.
 */
const configStateSql = sql<ConfigState>`coalesce((select case when ${deviceConfigs.baseline} is null or ${deviceConfigs.state} = 'never_pushed' then 'never_read' else ${deviceConfigs.state}::text end from ${deviceConfigs} where ${deviceConfigs.deviceId} = ${devices.id}), 'never_read')`;

export function toDevice(r: Row): Device {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    username: r.username,
    hasPassword: r.passwordEnc !== null,
    site: r.site,
    tags: r.tags,
    driver: r.driver,
    model: r.model,
    mac: r.mac,
    sipAddress: r.sipAddress,
    provisioningUsername: r.provisioningUsername ?? "",
    hasProvisioningPassword: r.provisioningPasswordEnc !== null,
    maintenance: r.maintenance,
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
  new AppError("conflict", `A device with address ${address} already exists`, { fields: { address: "A device with this address already exists" } });

export const duplicateMac = (mac: string) =>
  new AppError("conflict", `A device with MAC ${mac} already exists`, { fields: { mac: "A device with this MAC already exists" } });

/** The unique constraint a violation hit (e.g. "devices_mac_unique"), or null when it is not one. */
export function uniqueViolation(err: unknown): string | null {
  for (let e = err as { code?: string; constraint?: string; constraint_name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint ?? e.constraint_name ?? "";
  }
  return null;
}

export function isUniqueViolation(err: unknown): boolean {
  return uniqueViolation(err) !== null;
}

/** The 409 for a duplicate address or MAC, by the constraint that refused it. */
function duplicateError(err: unknown, d: { address?: string; mac?: string | null }): AppError | null {
  const constraint = uniqueViolation(err);
  if (constraint === null) return null;
  if (constraint.includes("mac") && d.mac) return duplicateMac(d.mac);
  if (d.address) return duplicateAddress(d.address);
  return d.mac ? duplicateMac(d.mac) : null;
}

export const deviceQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  site: z.string().max(100).optional(),
  tag: z.string().max(40).optional(),
  status: z.enum(STATUS_FILTERS, { error: `status must be one of ${STATUS_FILTERS.join(", ")}` }).optional(),
  configState: z.enum(CONFIG_STATES, { error: `configState must be one of ${CONFIG_STATES.join(", ")}` }).optional(),
  driver: z.enum(DRIVERS, { error: `driver must be one of ${DRIVERS.join(", ")}` }).optional(),
  model: z.enum(MODELS, { error: `model must be one of ${MODELS.join(", ")}` }).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(10000).default(100),
  offset: z.coerce.number({ error: "offset must be a number" }).int().min(0).default(0),
  sort: z.enum(DEVICE_SORTS, { error: `sort must be one of ${DEVICE_SORTS.join(", ")}` }).default("name"),
  dir: z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).default("asc"),
});
export type DeviceQuery = z.input<typeof deviceQuerySchema>;

/** The SIP extension (the line's user ID) as the portal holds it: from the stored config, per device row. */
const extensionSql = sql<string | null>`(select ${deviceConfigs.values} ->> ${EXTENSION_KEY} from ${deviceConfigs} where ${deviceConfigs.deviceId} = ${devices.id})`;

function orderOf(sort: DeviceSort, dir: "asc" | "desc"): SQL[] {
  const by = dir === "asc" ? asc : desc;
  const column: Record<DeviceSort, SQL | AnyColumn> = {
    name: devices.name,
    address: devices.address,
    site: devices.site,
    model: devices.model,
    extension: extensionSql,
    registration: deviceStatus.state,
  };
  // Rows without a value (no status yet, no extension) come last either way; the name then the id keep pages stable.
  return [sql`${by(column[sort])} nulls last`, asc(devices.name), asc(devices.id)];
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);

/** The list's filter (search, site, tag, registration status) as SQL; the query must left-join device_status. */
export function deviceFilterConditions(f: { q?: string; site?: string; tag?: string; status?: StatusFilter; configState?: ConfigState; driver?: DriverKind; model?: ModelId }): SQL[] {
  const conds: SQL[] = [];
  if (f.q) {
    const p = `%${likeEscape(f.q)}%`;
    const hex = f.q.replace(/[:.-]/g, "").toLowerCase();
    const byMac = /^[0-9a-f]{4,12}$/.test(hex) ? [ilike(devices.mac, `%${hex}%`)] : [];
    // Name, address, site, any tag, the SIP extension (stored config) or the MAC.
    const byTag = sql`exists (select 1 from unnest(${devices.tags}) as t(tag) where t.tag ilike ${p})`;
    const byExtension = sql`${extensionSql} ilike ${p}`;
    conds.push(or(ilike(devices.name, p), ilike(devices.address, p), ilike(devices.site, p), byTag, byExtension, ...byMac)!);
  }
  if (f.driver) conds.push(eq(devices.driver, f.driver));
  if (f.model) conds.push(eq(devices.model, f.model));
  if (f.site) conds.push(eq(devices.site, f.site));
  if (f.tag) conds.push(sql`${f.tag} = any(${devices.tags})`);
  if (f.status) conds.push(statusCondition(f.status));
  if (f.configState) conds.push(sql`${configStateSql} = ${f.configState}`);
  return conds;
}

export async function listDevices(query: DeviceQuery = {}): Promise<{ items: Device[]; total: number }> {
  const q = deviceQuerySchema.parse(query);
  const conds = deviceFilterConditions(q);
  const where = conds.length ? and(...conds) : undefined;
  const db = await getDb();
  // device_status is joined for the status column and filter (one row per device at most: its primary key).
  const rows = await db
    .select({ device: devices, extension: extensionSql, firmware: { version: deviceInfo.firmware, readAt: deviceInfo.readAt }, status: { state: deviceStatus.state, proxy: deviceStatus.proxy, since: deviceStatus.since }, checkedAt: deviceStatus.checkedAt, configState: configStateSql })
    .from(devices)
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id))
    .leftJoin(deviceInfo, eq(deviceInfo.deviceId, devices.id))
    .where(where)
    .orderBy(...orderOf(q.sort, q.dir))
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
      sipExtension: r.extension || null,
      firmware: r.firmware ? { version: r.firmware.version, readAt: r.firmware.readAt.toISOString() } : null,
      status: r.status ? { state: r.status.state, proxy: r.status.proxy, since: r.status.since.toISOString() } : null,
      configState: r.configState,
      lastSeenAt: r.checkedAt?.toISOString() ?? null,
    })),
    total,
  };
}

function statusCondition(status: StatusFilter): SQL {
  // "unknown": never polled yet (no status row).
  if (status === "unknown") return isNull(deviceStatus.state);
  if (status === "on_primary") return and(eq(deviceStatus.state, "registered"), eq(deviceStatus.proxy, "primary"))!;
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
/** What insertDevices needs: the fields added for drivers (issue 11) default like the input schema's. */
export type DeviceInsert = Omit<DeviceInput, "driver" | "model" | "mac" | "sipAddress" | "provisioningUsername" | "maintenance"> &
  Partial<Pick<DeviceInput, "driver" | "model" | "mac" | "sipAddress" | "provisioningUsername" | "maintenance">>;

export async function insertDevices(tx: DbOrTx, inputs: DeviceInsert[]): Promise<Row[]> {
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
        driver: d.driver ?? "api",
        model: d.model ?? "mt505",
        mac: d.mac ?? null,
        sipAddress: d.sipAddress ?? null,
        provisioningUsername: d.provisioningUsername || null,
        provisioningPasswordEnc: encryptOrNull(d.provisioningPassword),
        maintenance: d.maintenance ?? false,
      })),
    )
    .returning();
  await tx.insert(deviceConfigs).values(rows.map((r) => ({ deviceId: r.id })));
  return rows;
}

function refuseOutsideNetworks(d: { address?: string | null; sipAddress?: string | null }): void {
  const fields = deviceNetworkErrors(d);
  if (Object.keys(fields).length) throw validationFailed(fields);
}

export async function createDevice(input: unknown, actor: string): Promise<Device> {
  const d = deviceInputSchema.strict().parse(input);
  refuseOutsideNetworks(d);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await insertDevices(tx, [d]);
      await audit(tx, { actor, action: "device.create", targetType: "device", targetId: row.id, details: { name: row.name, address: row.address, driver: row.driver, model: row.model, mac: row.mac } });
      return toDevice(row);
    });
  } catch (err) {
    throw duplicateError(err, d) ?? err;
  }
}

export async function updateDevice(id: string, patch: unknown, actor: string): Promise<Device> {
  if (!isUuid(id)) throw notFound("Device");
  const p: DevicePatch = devicePatchSchema.strict().parse(patch);
  refuseOutsideNetworks(p);
  const set: Partial<typeof devices.$inferInsert> = { updatedAt: new Date() };
  if (p.name !== undefined) set.name = p.name;
  if (p.address !== undefined) set.address = p.address;
  if (p.username !== undefined) set.username = p.username;
  if (p.password !== undefined) set.passwordEnc = encryptOrNull(p.password);
  if (p.site !== undefined) set.site = p.site;
  if (p.tags !== undefined) set.tags = p.tags;
  if (p.driver !== undefined) set.driver = p.driver;
  if (p.model !== undefined) set.model = p.model;
  if (p.mac !== undefined) set.mac = p.mac;
  if (p.sipAddress !== undefined) set.sipAddress = p.sipAddress;
  if (p.provisioningUsername !== undefined) set.provisioningUsername = p.provisioningUsername || null;
  if (p.provisioningPassword !== undefined) set.provisioningPasswordEnc = encryptOrNull(p.provisioningPassword);
  if (p.maintenance !== undefined) set.maintenance = p.maintenance;
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [old] = await tx.select().from(devices).where(eq(devices.id, id)).for("update");
      const [row] = await tx.update(devices).set(set).where(eq(devices.id, id)).returning();
      if (!old || !row) throw notFound("Device");
      const macError = macRequiredError(row.driver, row.mac);
      if (macError) throw new AppError("validation_failed", "Some values are invalid", { fields: macError });
      // Record which fields changed, with before/after values — never a password itself.
      const changed = Object.keys(p).filter((k) => p[k as keyof DevicePatch] !== undefined);
      const shown = changed.filter(
        (k): k is "name" | "address" | "username" | "site" | "tags" | "driver" | "model" | "mac" | "sipAddress" | "provisioningUsername" | "maintenance" =>
          k !== "password" && k !== "provisioningPassword",
      );
      const before = Object.fromEntries(shown.map((k) => [k, old[k]]));
      const after = Object.fromEntries(shown.map((k) => [k, row[k]]));
      await audit(tx, { actor, action: "device.update", targetType: "device", targetId: id, details: { changed, before, after } });
      return toDevice(row);
    });
  } catch (err) {
    throw duplicateError(err, p) ?? err;
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

/** A driver's device as the inventory holds it: its model always known, and its MAC. */
export interface DeviceCredentials extends DriverDevice {
  model: ModelId;
  mac: string | null;
}

/** Address, driver and decrypted credentials, for the server-side drivers only (never for a browser). */
export async function getDeviceCredentials(id: string): Promise<DeviceCredentials> {
  if (!isUuid(id)) throw notFound("Device");
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.id, id)).limit(1);
  if (!row) throw notFound("Device");
  return credentialsOf(row);
}

/** A device row's address, driver and decrypted credentials (callers that read the row with more, e.g. lib/push). */
export function credentialsOf(row: Row): DeviceCredentials {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    username: row.username,
    password: row.passwordEnc ? decryptSecret(row.passwordEnc) : null,
    driver: row.driver,
    model: row.model,
    mac: row.mac,
    sipAddress: row.sipAddress,
  };
}

/** Per-device provisioning credentials in clear (the provisioning server's Digest check), or null for the shared ones. */
export function provisioningCredentialsOf(row: Row): { username: string; password: string } | null {
  return row.provisioningUsername && row.provisioningPasswordEnc
    ? { username: row.provisioningUsername, password: decryptSecret(row.provisioningPasswordEnc) }
    : null;
}
