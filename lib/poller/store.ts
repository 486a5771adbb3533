// The poller's database side: who to poll, what is known, writing a decision, retention, and the reads the
// REST API serves (one device's status + history, fleet summary).
import "server-only";
import { desc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import type { DriverKind } from "@/lib/device/kinds";
import type { ModelId } from "@/lib/params/profiles";
import { deviceStatus, devices, statusEvents, type ProxyRole, type RegistrationState } from "@/lib/db/schema";
import type { Decision, KeepAlive, Known, StatusRow } from "./transition";

export interface PollTarget {
  id: string;
  address: string;
  username: string;
  passwordEnc: string | null;
  /** Which HTTP interface it serves (JSON API or web interface) and its key tree. */
  driver: DriverKind;
  model: ModelId;
}

export async function loadTargets(db: Db): Promise<PollTarget[]> {
  // Provisioning phones report no status over HTTP (lib/device/kinds CAPABILITIES): polling them would only show a
  // made-up "unreachable". Their reachability comes from the network (issue 14).
  return db
    .select({ id: devices.id, address: devices.address, username: devices.username, passwordEnc: devices.passwordEnc, driver: devices.driver, model: devices.model })
    .from(devices)
    .where(ne(devices.driver, "provisioning"));
}

/**
 * One value that changes whenever the poll targets do (a device added, deleted, re-addressed, its credentials or
 * driver changed): one row from the database instead of every device's, so a window re-reads the list only when
 * it changed (at 10,000 phones the re-read mapped 10,000 rows per window).
 */
export async function targetsFingerprint(db: Db): Promise<string> {
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`,
      h: sql<string>`coalesce(sum(hashtextextended(${devices.id}::text || '|' || ${devices.address} || '|' || ${devices.username} || '|' || coalesce(${devices.passwordEnc}, '') || '|' || ${devices.driver} || '|' || coalesce(${devices.model}::text, ''), 0)), 0)::text`,
    })
    .from(devices)
    .where(ne(devices.driver, "provisioning"));
  return `${row.n}:${row.h}`;
}

type StatusDbRow = typeof deviceStatus.$inferSelect;
const toRow = (r: StatusDbRow): StatusRow => ({
  state: r.state,
  proxy: r.proxy,
  registrar: r.registrar,
  since: r.since,
  lastError: r.lastError,
  keepAlive: (r.keepAlive as KeepAlive | null) ?? null,
  expiresAt: r.expiresAt,
});

/** Current rows and the newest event time per device (startup, and devices that reappear). */
export async function loadKnown(db: Db, ids?: string[]): Promise<Map<string, Known>> {
  const [rows, last] = await Promise.all([
    db.select().from(deviceStatus).where(ids ? inArray(deviceStatus.deviceId, ids) : undefined),
    db
      .select({ deviceId: statusEvents.deviceId, at: sql<string>`max(${statusEvents.at})` })
      .from(statusEvents)
      .where(ids ? inArray(statusEvents.deviceId, ids) : undefined)
      .groupBy(statusEvents.deviceId),
  ]);
  const lastAt = new Map(last.map((l) => [l.deviceId, new Date(l.at)]));
  return new Map(rows.map((r) => [r.deviceId, { row: toRow(r), lastEventAt: lastAt.get(r.deviceId) ?? null }]));
}

const isFkViolation = (err: unknown): boolean => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === "23503") return true;
  return false;
};

/** Writes one decision atomically. False when the device was deleted meanwhile (nothing written). */
export async function writeDecision(db: Db, deviceId: string, decision: Decision, now: Date): Promise<boolean> {
  const row = decision.row;
  if (!row) return true;
  // A status the phone reported (every state but unreachable, which the phone never reports) is also an answer.
  const answered = row.state === "unreachable" ? {} : { checkedAt: now };
  const values = { ...row, keepAlive: row.keepAlive as Record<string, unknown> | null, updatedAt: now, ...answered };
  try {
    await db.transaction(async (tx) => {
      await tx.insert(deviceStatus).values({ deviceId, ...values }).onConflictDoUpdate({ target: deviceStatus.deviceId, set: values });
      if (decision.events.length) await tx.insert(statusEvents).values(decision.events.map((e) => ({ deviceId, ...e })));
    });
    return true;
  } catch (err) {
    if (isFkViolation(err)) return false;
    throw err;
  }
}

/**
 * Stores when each phone last answered (device_status.checked_at) in one statement for the whole batch (the poller
 * calls it once per window). Never moves a time back (two processes during a shard hand-over); a phone without a
 * status row yet gets its time with its first row (writeDecision).
 */
export async function flushLastSeen(db: Db, batch: ReadonlyArray<readonly [string, Date]>): Promise<void> {
  if (!batch.length) return;
  // Two array parameters, whatever the batch size (a VALUES list would be 2 parameters per phone, and pg's limit is 65,535).
  const ids = sql.param(batch.map(([id]) => id));
  const ats = sql.param(batch.map(([, at]) => at.toISOString()));
  await db.execute(sql`
    update ${deviceStatus} as s set checked_at = v.at
    from unnest(${ids}::uuid[], ${ats}::timestamptz[]) as v(id, at)
    where s.device_id = v.id and (s.checked_at is null or s.checked_at < v.at)`);
}

/** Deletes timeline events older than `before`; returns how many. */
export async function pruneEvents(db: Db, before: Date): Promise<number> {
  const deleted = await db.delete(statusEvents).where(lt(statusEvents.at, before)).returning({ id: statusEvents.id });
  return deleted.length;
}

export interface HistoryEntry {
  at: string;
  from: { state: RegistrationState | null; proxy: ProxyRole | null };
  to: { state: RegistrationState; proxy: ProxyRole | null };
  reason: string;
}

export interface DeviceStatusView {
  /** null: the poller has not seen this device yet. */
  state: RegistrationState | null;
  proxy: ProxyRole | null;
  since: string | null;
  lastError: string | null;
  registrar: string | null;
  expiresAt: string | null;
  keepAlive: KeepAlive | null;
  /** When the portal last wrote this status. */
  updatedAt: string | null;
  /** When the phone last answered a status poll, as stored (the route adds this process's newer answer). */
  lastSeenAt: string | null;
  /** Recent transitions, newest first. */
  history: HistoryEntry[];
}

export async function readDeviceStatus(db: Db, deviceId: string, limit = 100): Promise<DeviceStatusView> {
  const [[row], events] = await Promise.all([
    db.select().from(deviceStatus).where(eq(deviceStatus.deviceId, deviceId)).limit(1),
    db
      .select()
      .from(statusEvents)
      .where(eq(statusEvents.deviceId, deviceId))
      .orderBy(desc(statusEvents.at), desc(statusEvents.id))
      .limit(limit),
  ]);
  return {
    state: row?.state ?? null,
    proxy: row?.proxy ?? null,
    since: row?.since.toISOString() ?? null,
    lastError: row?.lastError ?? null,
    registrar: row?.registrar ?? null,
    expiresAt: row?.expiresAt?.toISOString() ?? null,
    keepAlive: (row?.keepAlive as KeepAlive | null | undefined) ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    lastSeenAt: row?.checkedAt?.toISOString() ?? null,
    history: events.map((e) => ({
      at: e.at.toISOString(),
      from: { state: e.fromState, proxy: e.fromProxy },
      to: { state: e.toState, proxy: e.toProxy },
      reason: e.reason,
    })),
  };
}

export interface StatusCounts {
  registeredPrimary: number;
  registeredRedundant: number;
  registering: number;
  unregistered: number;
  failed: number;
  unreachable: number;
  /** Devices the poller has not seen yet. */
  unknown: number;
  total: number;
}

export const emptyCounts = (): StatusCounts => ({
  registeredPrimary: 0,
  registeredRedundant: 0,
  registering: 0,
  unregistered: 0,
  failed: 0,
  unreachable: 0,
  unknown: 0,
  total: 0,
});

/** Adds `n` devices in (state, proxy) to the counts. */
export function countInto(counts: StatusCounts, state: RegistrationState | null, proxy: ProxyRole | null, n = 1): void {
  counts.total += n;
  if (state === null) counts.unknown += n;
  else if (state === "registered") counts[proxy === "redundant" ? "registeredRedundant" : "registeredPrimary"] += n;
  else counts[state] += n;
}

export async function statusCounts(db: Db): Promise<StatusCounts> {
  const rows = await db
    .select({ state: deviceStatus.state, proxy: deviceStatus.proxy, n: sql<number>`count(*)::int` })
    .from(devices)
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id))
    .groupBy(deviceStatus.state, deviceStatus.proxy);
  const counts = emptyCounts();
  for (const r of rows) countInto(counts, r.state, r.proxy, r.n);
  return counts;
}
