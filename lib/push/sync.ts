// Sync: read what the device really holds. First contact imports it as the desired config and baseline;
// later reads compare it with the baseline (what the portal last pushed/adopted) and mark drift.
import { loadDesiredConfig, type DesiredConfig } from "@/lib/config-store";
import { getDb, type DbOrTx } from "@/lib/db";
import { DeviceError, type DeviceClient, type DeviceConfig } from "@/lib/device";
import type { ConfigState } from "@/lib/db/schema";
import { deviceClientFor } from "./device";
import { computeDrift, desiredFromDevice, isSecretKey, ownPushLanding, pendingKeys, pick, type Drift } from "./logic";
import { addSnapshot, audit, saveConfigState, type PushErrorInfo } from "./store";

export type SyncResult =
  | { ok: true; state: ConfigState; drift: Drift; deviceRevision: number; snapshotId: number; firstContact: boolean }
  | { ok: false; error: PushErrorInfo };

/** Reads the device's config; a device error is a result, not a throw. */
export async function readDevice(driver: DeviceClient): Promise<{ ok: true; config: DeviceConfig } | { ok: false; error: PushErrorInfo }> {
  try {
    return { ok: true, config: await driver.getConfig() };
  } catch (e) {
    if (e instanceof DeviceError) return { ok: false, error: { code: e.code, message: e.message, retryable: e.retryable } };
    throw e;
  }
}

/**
 * "Read from device". `adopt` (the admin chose "Adopt device values") also takes the drifted keys' device
 * values as the desired config and baseline.
 */
async function readAndRecord(deviceId: string, actor: string, options: ReadOptions): Promise<SyncResult | Landing | null> {
  const driver = await deviceClientFor(deviceId);
  const read = await readDevice(driver);
  if (!read.ok) {
    await recordReadFailure(deviceId, actor, read.error, options.audit);
    return read;
  }
  // A provisioning phone cannot be read: its "values read" are what it last fetched. One that never fetched the
  // current revision reports nothing, and the portal's own reads record nothing for it (it stays never read).
  if (options.audit === "changes" && !driver.capabilities.readBack && Object.keys(read.config.values).length === 0) return null;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await loadDesiredConfig(tx, deviceId, true);
    // A background read that a save overtook (it read the phone before the push): what it saw is stale.
    if (options.audit === "changes" && current.deviceRevision !== null && current.baseline !== null && read.config.revision < current.deviceRevision) return null;
    if (options.awaitPush && ownPushLanding(current, read.config)) return { landing: read.config.revision };
    return (await recordRead(tx, deviceId, actor, read.config, { ...options, supports: driver.supports }, current)).result;
  });
}

/**
 * A read that failed leaves the config as it is. An admin's read is audited; a background read of a phone never
 * read keeps the reason as lastError (the device page says it cannot be read), without an audit row per attempt.
 */
export async function recordReadFailure(deviceId: string, actor: string, error: PushErrorInfo, audited: boolean | "changes"): Promise<void> {
  const db = await getDb();
  if (audited === true) {
    await audit(db, { actor, action: "config.sync_failed", targetType: "device", targetId: deviceId, details: { code: error.code, message: error.message } });
    return;
  }
  await db.transaction(async (tx) => {
    const current = await loadDesiredConfig(tx, deviceId, true);
    if (current.baseline !== null) return;
    const lastError = { code: error.code, message: `Cannot read the phone: ${error.message}`, at: new Date().toISOString() };
    await saveConfigState(tx, deviceId, { lastError }, current.revision);
  });
}

/** A background read that saw the portal's own push arrive before the push recorded it: nothing recorded. */
export interface Landing {
  landing: number;
}

export interface ReadOptions {
  /** The admin chose "Adopt device values": the drifted keys' device values become desired + baseline. */
  adopt: boolean;
  /** true: one audit entry (an admin's read); "changes": only when the state changes (background reads); false: none (a save records its own). */
  audit: boolean | "changes";
  /** The driver's model check (DeviceDriver.supports): what the model lacks is never pending. Absent: every key. */
  supports?: (key: string) => boolean;
  /** A background read: a push seen landing (ownPushLanding) is left to the push. */
  awaitPush?: boolean;
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
  options: ReadOptions,
  current: DesiredConfig,
): Promise<{ result: Extract<SyncResult, { ok: true }>; desired: DesiredConfig }> {
  const adopt = options.adopt;
  const firstContact = current.baseline === null;
  let values = current.values;
  let baseline = current.baseline;
  if (firstContact) {
    // Secrets stay as the portal has them: the device only shows a mask.
    // Keys the phone does not report keep the portal's (catalog) value, as every load of the desired config does.
    values = { ...current.values, ...desiredFromDevice(device.values), ...pick(current.values, Object.keys(current.values).filter(isSecretKey)) };
    baseline = desiredFromDevice(device.values);
  }
  let drift = computeDrift(baseline, device.values);
  // An invalid value the phone reports is never adopted: it stays drift (with its error) until overwritten.
  const adopted = adopt ? Object.keys(drift).filter((k) => !drift[k].error) : [];
  if (adopted.length) {
    const taken = pick(desiredFromDevice(device.values), adopted);
    values = { ...values, ...taken };
    baseline = { ...baseline, ...taken };
    drift = Object.fromEntries(Object.entries(drift).filter(([, d]) => d.error));
  }
  const pending = pendingKeys(values, baseline, options.supports);
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
  const stateChanged = firstContact || state !== current.state || JSON.stringify(Object.keys(drift).sort()) !== JSON.stringify(Object.keys(current.drift ?? {}).sort());
  if (options.audit === true || (options.audit === "changes" && stateChanged)) await audit(tx, {
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

/** "Read from device" (an admin): audited. */
export async function syncFromDevice(deviceId: string, actor: string): Promise<SyncResult> {
  return (await readAndRecord(deviceId, actor, { adopt: false, audit: true })) as SyncResult;
}

/**
 * The portal's own read (a new device, a changed configRevision, the slow re-read): audited only when the state
 * changes. null: nothing recorded (a provisioning phone that fetched nothing yet, or a read a save overtook);
 * `landing`: a push's result seen before the push recorded it (`awaitPush`, the default), nothing recorded.
 */
export function backgroundSync(deviceId: string, options: { awaitPush?: boolean } = {}): Promise<SyncResult | Landing | null> {
  return readAndRecord(deviceId, "system", { adopt: false, audit: "changes", awaitPush: options.awaitPush ?? true });
}

/** Adopt drift: desired = baseline = what the device holds now, for the drifted keys. */
export async function adoptDrift(deviceId: string, actor: string): Promise<SyncResult> {
  return (await readAndRecord(deviceId, actor, { adopt: true, audit: true })) as SyncResult;
}
