// Recording push/sync outcomes: the device_configs bookkeeping, config snapshots and the audit trail, written
// together in one transaction so a result is either fully recorded or not at all.
import { desc, eq } from "drizzle-orm";
import { sealSecrets } from "@/lib/config-store";
import type { DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { configSnapshots, deviceConfigs, type ConfigState, type SnapshotSource } from "@/lib/db/schema";
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
  const values = snapshotValues(s.device);
  const [last] = await tx
    .select({ id: configSnapshots.id, values: configSnapshots.values })
    .from(configSnapshots)
    .where(eq(configSnapshots.deviceId, s.deviceId))
    .orderBy(desc(configSnapshots.at), desc(configSnapshots.id))
    .limit(1);
  const changes = changesBetween(last?.values ?? null, values);
  if (last && !s.always && Object.keys(changes).length === 0) return last.id;
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
