// Sync: read what the device really holds. First contact imports it as the desired config and baseline;
// later reads compare it with the baseline (what the portal last pushed/adopted) and mark drift.
import { loadDesiredConfig, type DesiredConfig } from "@/lib/config-store";
import { getDb, type DbOrTx } from "@/lib/db";
import { DeviceError, type DeviceClient, type DeviceConfig } from "@/lib/device";
import type { ConfigState } from "@/lib/db/schema";
import { deviceClientFor } from "./device";
import { computeDrift, desiredFromDevice, isSecretKey, pendingKeys, pick, type Drift } from "./logic";
import { addSnapshot, audit, saveConfigState, type PushErrorInfo } from "./store";

export type SyncResult =
  | { ok: true; state: ConfigState; drift: Drift; deviceRevision: number; snapshotId: number; firstContact: boolean }
  | { ok: false; error: PushErrorInfo };

/** Reads the device's config; a device error is a result, not a throw. `client`: one the caller already has. */
export async function readDevice(deviceId: string, client?: DeviceClient): Promise<{ ok: true; config: DeviceConfig } | { ok: false; error: PushErrorInfo }> {
  try {
    return { ok: true, config: await (client ?? (await deviceClientFor(deviceId))).getConfig() };
  } catch (e) {
    if (e instanceof DeviceError) return { ok: false, error: { code: e.code, message: e.message, retryable: e.retryable } };
    throw e;
  }
}

/**
 * "Read from device". `adopt` (the admin chose "Adopt device values") also takes the drifted keys' device
 * values as the desired config and baseline.
 */
async function readAndRecord(deviceId: string, actor: string, adopt: boolean): Promise<SyncResult> {
  const read = await readDevice(deviceId);
  if (!read.ok) {
    await recordReadFailure(deviceId, actor, read.error);
    return read;
  }
  const db = await getDb();
  return db.transaction(async (tx) => (await recordRead(tx, deviceId, actor, read.config, adopt, await loadDesiredConfig(tx, deviceId, true))).result);
}

/** A read that failed leaves the config as it is; the audit trail says why. */
export async function recordReadFailure(deviceId: string, actor: string, error: PushErrorInfo): Promise<void> {
  await audit(await getDb(), { actor, action: "config.sync_failed", targetType: "device", targetId: deviceId, details: { code: error.code, message: error.message } });
}

/**
 * Records one read of the device inside the caller's transaction, on the desired config the caller loaded
 * (locked) in it: first contact imports it, later reads mark drift; snapshot + audit. Returns the outcome and
 * the desired config as now stored (a push that follows a first contact goes on from it).
 */
export async function recordRead(
  tx: DbOrTx,
  deviceId: string,
  actor: string,
  device: DeviceConfig,
  adopt: boolean,
  current: DesiredConfig,
): Promise<{ result: Extract<SyncResult, { ok: true }>; desired: DesiredConfig }> {
  const firstContact = current.baseline === null;
  let values = current.values;
  let baseline = current.baseline;
  if (firstContact) {
    // Secrets stay as the portal has them: the device only shows a mask.
    values = { ...desiredFromDevice(device.values), ...pick(current.values, Object.keys(current.values).filter(isSecretKey)) };
    baseline = desiredFromDevice(device.values);
  }
  let drift = computeDrift(baseline, device.values);
  const adopted = adopt ? Object.keys(drift) : [];
  if (adopted.length) {
    const taken = pick(desiredFromDevice(device.values), adopted);
    values = { ...values, ...taken };
    baseline = { ...baseline, ...taken };
    drift = {};
  }
  const pending = pendingKeys(values, baseline);
  const state: ConfigState = Object.keys(drift).length
    ? "drifted"
    : pending.length
      ? current.state === "push_failed" ? "push_failed" : "pending_push"
      : "in_sync";
  const changedDesired = firstContact || adopted.length > 0;
  const now = new Date();
  await saveConfigState(
    tx,
    deviceId,
    {
      state,
      drift,
      deviceRevision: device.revision,
      syncedAt: now,
      ...(changedDesired ? { values, baseline: baseline ?? {}, actor, revisionBump: true } : {}),
      ...(state === "in_sync" ? { lastError: null } : {}),
    },
    current.revision,
  );
  const snapshotId = await addSnapshot(tx, {
    deviceId,
    actor,
    source: adopted.length ? "adopt" : "sync",
    deviceRevision: device.revision,
    device: device.values,
    always: adopted.length > 0,
  });
  await audit(tx, {
    actor,
    action: adopted.length ? "config.adopt" : "config.sync",
    targetType: "device",
    targetId: deviceId,
    details: { deviceRevision: device.revision, firstContact, drift: Object.keys(drift), adopted, state },
  });
  const desired: DesiredConfig = {
    ...current,
    state,
    drift: Object.keys(drift).length ? drift : null,
    deviceRevision: device.revision,
    syncedAt: now.toISOString(),
    ...(changedDesired ? { values, baseline: baseline ?? {}, revision: current.revision + 1, updatedAt: now.toISOString(), updatedBy: actor } : {}),
    ...(state === "in_sync" ? { lastError: null } : {}),
  };
  return { result: { ok: true, state, drift, deviceRevision: device.revision, snapshotId, firstContact }, desired };
}

/**
 * First contact before an edit: a device the portal has never read is read first, so an edit is validated
 * (applicability, cross-field rules) against what the device really holds rather than catalog defaults.
 * A device that cannot be read is left as it is; the push that follows reports why.
 */
export async function readIfNeverRead(deviceId: string, actor: string): Promise<void> {
  const current = await loadDesiredConfig(await getDb(), deviceId, false);
  if (current.baseline === null) await readAndRecord(deviceId, actor, false);
}

export function syncFromDevice(deviceId: string, actor: string): Promise<SyncResult> {
  return readAndRecord(deviceId, actor, false);
}

/** Adopt drift: desired = baseline = what the device holds now, for the drifted keys. */
export function adoptDrift(deviceId: string, actor: string): Promise<SyncResult> {
  return readAndRecord(deviceId, actor, true);
}
