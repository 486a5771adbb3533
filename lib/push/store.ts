// Recording push/sync outcomes: the device_configs bookkeeping, config snapshots and the audit trail, written
// together in one transaction so a result is either fully recorded or not at all.
import { desc, eq, sql, type SQL } from "drizzle-orm";
import { configRowVersion, desiredFromRow, sealSecrets, type DesiredConfig } from "@/lib/config-store";
import type { DbOrTx } from "@/lib/db";
import { audit, type AuditEntry } from "@/lib/db/audit";
import { configSnapshots, deviceConfigs, devices, type ConfigState, type SnapshotSource } from "@/lib/db/schema";
import { notFound } from "@/lib/errors";
import { credentialsOf, isUuid, type DeviceCredentials } from "@/lib/inventory/devices";
import type { ConfigValues } from "@/lib/params";
import { changesBetween, snapshotValues, type DeviceValues, type Drift } from "./logic";

export interface PushErrorInfo {
  code: string;
  message: string;
  fields?: Record<string, string>;
  retryable: boolean;
}

type ConfigRow = typeof deviceConfigs.$inferInsert;

export interface StatePatch {
  state?: ConfigState;
  /** Desired values (secrets in clear; sealed here). */
  values?: ConfigValues;
  /** Baseline (secrets in clear; sealed here). */
  baseline?: ConfigValues;
  drift?: Drift | null;
  deviceRevision?: number;
  lastError?: ConfigRow["lastError"];
  lastPushAt?: Date;
  syncedAt?: Date;
  revisionBump?: boolean;
  actor?: string;
}

/** Upserts the device's config row with the given bookkeeping; absent members stay as they are. */
export async function saveConfigState(tx: DbOrTx, deviceId: string, patch: StatePatch, currentRevision: number): Promise<void> {
  const set: Partial<ConfigRow> = {};
  if (patch.state !== undefined) set.state = patch.state;
  if (patch.values !== undefined) {
    set.values = sealSecrets(patch.values);
    set.updatedAt = new Date();
    if (patch.actor) set.updatedBy = patch.actor;
  }
  if (patch.revisionBump) set.revision = currentRevision + 1;
  if (patch.baseline !== undefined) set.baseline = sealSecrets(patch.baseline);
  if (patch.drift !== undefined) set.drift = patch.drift && Object.keys(patch.drift).length ? patch.drift : null;
  if (patch.deviceRevision !== undefined) set.deviceRevision = patch.deviceRevision;
  if (patch.lastError !== undefined) set.lastError = patch.lastError;
  if (patch.lastPushAt !== undefined) set.lastPushAt = patch.lastPushAt;
  if (patch.syncedAt !== undefined) set.syncedAt = patch.syncedAt;
  if (Object.keys(set).length === 0) return;
  await tx.insert(deviceConfigs).values({ deviceId, ...set }).onConflictDoUpdate({ target: deviceConfigs.deviceId, set });
}

export interface SnapshotInput {
  deviceId: string;
  actor: string;
  source: SnapshotSource;
  deviceRevision: number;
  device: DeviceValues;
  jobId?: string | null;
  note?: string | null;
  /** false: reuse the latest snapshot when the values are the same (a sync that found nothing new). */
  always: boolean;
}

/** Adds a snapshot of what the device holds (secrets masked) with the keys changed since the previous one. */
export async function addSnapshot(tx: DbOrTx, s: SnapshotInput): Promise<number> {
  const [last] = await tx
    .select({ id: configSnapshots.id, values: configSnapshots.values })
    .from(configSnapshots)
    .where(eq(configSnapshots.deviceId, s.deviceId))
    .orderBy(desc(configSnapshots.at), desc(configSnapshots.id))
    .limit(1);
  const rows = snapshotRows(s, last ?? null);
  if (!rows) return last.id;
  const { values, changes } = rows;
  const [row] = await tx
    .insert(configSnapshots)
    .values({
      deviceId: s.deviceId,
      actor: s.actor,
      source: s.source,
      deviceRevision: s.deviceRevision,
      values,
      changes,
      jobId: s.jobId ?? null,
      note: s.note ?? null,
    })
    .returning({ id: configSnapshots.id });
  return row.id;
}

export { audit };

/** What a push starts from, read in one statement: the desired config, its row version, the device, the latest snapshot. */
export interface PushContext {
  desired: DesiredConfig;
  /** See configRowVersion; null when the device has no config row yet. */
  version: string | null;
  credentials: DeviceCredentials;
  /** The device's latest snapshot (what the next one's `changes` are computed against), or null. */
  lastSnapshot: { id: number; values: Record<string, unknown> } | null;
}

// The device's latest snapshot as {id, values}, in a select over devices.
const latestSnapshot = sql<{ id: number | string; values: Record<string, unknown> } | null>`(select jsonb_build_object('id', s.id, 'values', s.values)
  from ${configSnapshots} s where s.device_id = ${devices.id} order by s.at desc, s.id desc limit 1)`;
const toSnapshot = (last: { id: number | string; values: Record<string, unknown> } | null) => (last ? { id: Number(last.id), values: last.values } : null);

/**
 * The config row's version and the latest snapshot as this transaction sees them (after its own writes), so that
 * a push that stored its desired config in a locked transaction records its outcome in one statement too.
 */
export async function rowState(tx: DbOrTx, deviceId: string): Promise<Pick<PushContext, "version" | "lastSnapshot">> {
  const [row] = await tx
    .select({ version: configRowVersion, last: latestSnapshot })
    .from(devices)
    .innerJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id))
    .where(eq(devices.id, deviceId));
  return { version: row?.version ?? null, lastSnapshot: toSnapshot(row?.last ?? null) };
}

// Built once per database handle and sent as a named statement: every push of a bulk job runs it, and neither the
// query builder nor PostgreSQL's parse/plan needs repeating per target.
const pushContextQueries = new WeakMap<DbOrTx, ReturnType<typeof preparePushContext>>();
const preparePushContext = (db: DbOrTx) =>
  db
    .select({
      device: devices,
      cfg: deviceConfigs,
      version: configRowVersion,
      last: latestSnapshot,
    })
    .from(devices)
    .leftJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id))
    .where(eq(devices.id, sql.placeholder("id")))
    .limit(1)
    .prepare("push_context");

export async function loadPushContext(db: DbOrTx, deviceId: string): Promise<PushContext> {
  if (!isUuid(deviceId)) throw notFound("Device");
  let query = pushContextQueries.get(db);
  if (!query) pushContextQueries.set(db, (query = preparePushContext(db)));
  const [row] = await query.execute({ id: deviceId });
  if (!row) throw notFound("Device");
  return {
    desired: desiredFromRow(row.cfg),
    version: row.cfg ? row.version : null,
    credentials: credentialsOf(row.device),
    lastSnapshot: toSnapshot(row.last),
  };
}

/** A push's outcome as rows: the config bookkeeping, the snapshot (null: the latest one stands) and the audit entry. */
export interface OutcomeRows {
  state: StatePatch;
  snapshot: (SnapshotInput & { changes: Record<string, { from: unknown; to: unknown }>; values: Record<string, unknown> }) | null;
  audit: AuditEntry;
}

/**
 * Records an outcome in ONE statement, only if the device's config row is still at `version` (nobody wrote it since
 * the push read it): the device's lock first (the order of every config writer), then the config row, the snapshot
 * and the audit entry together, or nothing at all. `null`: the row moved, nothing written (the caller records in a
 * locked transaction instead). Only for rows that exist and bookkeeping without desired values (no revision bump).
 */
export async function recordIfUnchanged(db: DbOrTx, deviceId: string, version: string, rows: OutcomeRows): Promise<{ snapshotId: number | null } | null> {
  const p = rows.state;
  const sets: SQL[] = [];
  const jsonb = (v: unknown) => sql`${v === null ? null : JSON.stringify(v)}::jsonb`;
  if (p.state !== undefined) sets.push(sql`state = ${p.state}`);
  if (p.baseline !== undefined) sets.push(sql`baseline = ${jsonb(sealSecrets(p.baseline))}`);
  if (p.drift !== undefined) sets.push(sql`drift = ${jsonb(p.drift && Object.keys(p.drift).length ? p.drift : null)}`);
  if (p.deviceRevision !== undefined) sets.push(sql`device_revision = ${p.deviceRevision}`);
  if (p.lastError !== undefined) sets.push(sql`last_error = ${jsonb(p.lastError)}`);
  if (p.lastPushAt !== undefined) sets.push(sql`last_push_at = ${p.lastPushAt.toISOString()}::timestamptz`);
  if (p.syncedAt !== undefined) sets.push(sql`synced_at = ${p.syncedAt.toISOString()}::timestamptz`);
  if (p.values !== undefined || p.revisionBump) throw new Error("recordIfUnchanged: desired values are stored by applyPatchIfUnchanged");
  const s = rows.snapshot;
  const a = rows.audit;
  const res = await db.execute(sql`
    with u as (
      update device_configs c set ${sql.join(sets, sql`, `)}
      from (select id from devices where id = ${deviceId} for no key update) d
      where c.device_id = d.id and c.xmin = ${version}::xid
      returning c.device_id),
    s as (
      insert into config_snapshots (device_id, actor, source, device_revision, values, changes, job_id, note)
      select device_id, ${s?.actor ?? null}::text, ${s?.source ?? null}::text, ${s?.deviceRevision ?? null}::int, ${jsonb(s?.values ?? null)}, ${jsonb(s?.changes ?? null)},
        ${s?.jobId ?? null}::uuid, ${s?.note ?? null}::text
      from u where ${s !== null}::boolean
      returning id),
    a as (
      insert into audit_log (actor, action, target_type, target_id, details)
      select ${a.actor}::text, ${a.action}::text, ${a.targetType ?? null}::text, ${a.targetId ?? null}::text, ${jsonb(a.details ?? null)} from u)
    select (select count(*)::int from u) as n, (select id from s) as snapshot_id`);
  const [r] = (res as unknown as { rows: Array<{ n: number; snapshot_id: number | string | null }> }).rows;
  if (r.n === 0) return null;
  return { snapshotId: r.snapshot_id === null ? null : Number(r.snapshot_id) };
}

/** A snapshot's stored form and its changes against the previous one; null when `always` is off and nothing changed. */
export function snapshotRows(s: SnapshotInput, last: PushContext["lastSnapshot"]): OutcomeRows["snapshot"] {
  const values = snapshotValues(s.device);
  const changes = changesBetween(last?.values ?? null, values);
  if (last && !s.always && Object.keys(changes).length === 0) return null;
  return { ...s, values, changes };
}
