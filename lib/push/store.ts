// Recording push/sync outcomes: the device_configs bookkeeping, config snapshots and the audit trail, written
// together in one transaction so a result is either fully recorded or not at all.
import { desc, eq, sql } from "drizzle-orm";
import { configRowVersion, desiredFromRow, sealSecrets, type DesiredConfig } from "@/lib/config-store";
import { executePrepared, type DbOrTx } from "@/lib/db";
import { createBatcher, serverRejected } from "@/lib/db/batch";
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
// query builder nor PostgreSQL's parse/plan needs repeating per target. The pushes that start while one read is in
// flight are read together by the next (createBatcher): a bulk job's targets share statements.
const preparePushContexts = (db: DbOrTx) =>
  db
    .select({
      device: devices,
      cfg: deviceConfigs,
      version: configRowVersion,
      last: latestSnapshot,
    })
    .from(devices)
    .leftJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id))
    .where(sql`${devices.id} = any(${sql.placeholder("ids")}::uuid[])`)
    .prepare("push_contexts");
type ContextRow = Awaited<ReturnType<ReturnType<typeof preparePushContexts>["execute"]>>[number];
const pushContextReads = new WeakMap<DbOrTx, (deviceId: string) => Promise<ContextRow | undefined>>();

function contextReader(db: DbOrTx) {
  let read = pushContextReads.get(db);
  if (!read) {
    const query = preparePushContexts(db);
    read = createBatcher(
      async (ids: string[]) => {
        const rows = await query.execute({ ids: [...new Set(ids)] });
        const byId = new Map(rows.map((r) => [r.device.id, r]));
        return ids.map((id) => byId.get(id));
      },
      { retryAlone: serverRejected },
    );
    pushContextReads.set(db, read);
  }
  return read;
}

export async function loadPushContext(db: DbOrTx, deviceId: string): Promise<PushContext> {
  if (!isUuid(deviceId)) throw notFound("Device");
  const row = await contextReader(db)(deviceId);
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
  if (p.values !== undefined || p.revisionBump) throw new Error("recordIfUnchanged: desired values are stored by applyPatchIfUnchanged");
  const set: Record<string, unknown> = {};
  if (p.state !== undefined) set.state = p.state;
  if (p.baseline !== undefined) set.baseline = sealSecrets(p.baseline);
  if (p.drift !== undefined) set.drift = p.drift && Object.keys(p.drift).length ? p.drift : null;
  if (p.deviceRevision !== undefined) set.deviceRevision = p.deviceRevision;
  if (p.lastError !== undefined) set.lastError = p.lastError;
  if (p.lastPushAt !== undefined) set.lastPushAt = p.lastPushAt.toISOString();
  if (p.syncedAt !== undefined) set.syncedAt = p.syncedAt.toISOString();
  const s = rows.snapshot;
  const a = rows.audit;
  return outcomeRecorder(db)({
    deviceId,
    version,
    has: Object.keys(set),
    ...set,
    snapshot: s && { actor: s.actor, source: s.source, deviceRevision: s.deviceRevision, values: s.values, changes: s.changes, jobId: s.jobId ?? null, note: s.note ?? null },
    audit: { actor: a.actor, action: a.action, targetType: a.targetType ?? null, targetId: a.targetId ?? null, details: a.details ?? null },
  });
}

/** One outcome as the grouped statement takes it (JSON): the config columns set (`has`), the snapshot, the entry. */
interface OutcomeRecord {
  deviceId: string;
  version: string;
  has: string[];
  [column: string]: unknown;
}

// The outcomes that arrive while one is being recorded go out together (a bulk job's targets): one statement for
// the group, each device's rows only if its config row is still at its version. Devices are locked in id order
// (every multi-device locker takes them in that order; single-device writers hold one at a time).
// $1: the outcomes (JSON), $2: their device ids as an array — the planner takes jsonb_to_recordset for 100 rows
// and, given only that, scans whole tables. Absent members keep the column; present ones are set, null included.
const keep = (col: string, key: string, value: string) => `${col} = case when v.has ? '${key}' then ${value} else c.${col} end`;
const RECORD_IF_UNCHANGED = `
  with v as (select * from jsonb_to_recordset($1::jsonb)
      as v(i int, "deviceId" uuid, version xid, has jsonb, state text, baseline jsonb, drift jsonb, "deviceRevision" int,
        "lastError" jsonb, "lastPushAt" timestamptz, "syncedAt" timestamptz, snapshot jsonb, audit jsonb)),
    d as materialized (select id from devices where id = any($2::uuid[]) order by id for no key update),
    u as (
      update device_configs c set
        ${keep("state", "state", "v.state")},
        ${keep("baseline", "baseline", "nullif(v.baseline, 'null'::jsonb)")},
        ${keep("drift", "drift", "nullif(v.drift, 'null'::jsonb)")},
        ${keep("device_revision", "deviceRevision", 'v."deviceRevision"')},
        ${keep("last_error", "lastError", `nullif(v."lastError", 'null'::jsonb)`)},
        ${keep("last_push_at", "lastPushAt", 'v."lastPushAt"')},
        ${keep("synced_at", "syncedAt", 'v."syncedAt"')}
      from v join d on d.id = v."deviceId"
      where c.device_id = any($2::uuid[]) and c.device_id = v."deviceId" and c.xmin = v.version
      returning c.device_id),
    s as (
      insert into config_snapshots (device_id, actor, source, device_revision, values, changes, job_id, note)
      select v."deviceId", v.snapshot->>'actor', v.snapshot->>'source', (v.snapshot->>'deviceRevision')::int,
        nullif(v.snapshot->'values', 'null'::jsonb), nullif(v.snapshot->'changes', 'null'::jsonb), (v.snapshot->>'jobId')::uuid, v.snapshot->>'note'
      from v join u on u.device_id = v."deviceId"
      where jsonb_typeof(v.snapshot) = 'object'
      order by v.i
      returning id, device_id),
    a as (
      insert into audit_log (actor, action, target_type, target_id, details)
      select v.audit->>'actor', v.audit->>'action', v.audit->>'targetType', v.audit->>'targetId', nullif(v.audit->'details', 'null'::jsonb)
      from v join u on u.device_id = v."deviceId"
      order by v.i)
  select v.i, u.device_id is not null as recorded, s.id as snapshot_id
  from v left join u on u.device_id = v."deviceId" left join s on s.device_id = v."deviceId"`;
const outcomeRecorders = new WeakMap<DbOrTx, (r: OutcomeRecord) => Promise<{ snapshotId: number | null } | null>>();
function outcomeRecorder(db: DbOrTx) {
  let record = outcomeRecorders.get(db);
  if (!record) {
    record = createBatcher(
      async (items: OutcomeRecord[]) => {
        const rows = await executePrepared<{ i: number; recorded: boolean; snapshot_id: number | string | null }>(db, "push_record_if_unchanged", RECORD_IF_UNCHANGED, [
          JSON.stringify(items.map((r, i) => ({ ...r, i }))),
          `{${items.map((r) => r.deviceId).join(",")}}`,
        ]);
        const byIndex = new Map(rows.map((r) => [r.i, r]));
        return items.map((_, i) => {
          const r = byIndex.get(i);
          return r?.recorded ? { snapshotId: r.snapshot_id === null ? null : Number(r.snapshot_id) } : null;
        });
      },
      { key: (r) => r.deviceId, retryAlone: serverRejected },
    );
    outcomeRecorders.set(db, record);
  }
  return record;
}

/** A snapshot's stored form and its changes against the previous one; null when `always` is off and nothing changed. */
export function snapshotRows(s: SnapshotInput, last: PushContext["lastSnapshot"]): OutcomeRows["snapshot"] {
  const values = snapshotValues(s.device);
  const changes = changesBetween(last?.values ?? null, values);
  if (last && !s.always && Object.keys(changes).length === 0) return null;
  return { ...s, values, changes };
}
