// The one save operation (saveDeviceConfig): check the values on their own (a hopeless value contacts no phone)
// → read the phone once if the portal never read it → validate against the values last read → store the desired
// config → read the device's config and revision → PATCH only the changed keys with If-Match → read back →
// compare with what was meant → record ONE audit entry for the outcome. A 412 re-reads and re-diffs once; a key
// that someone changed meanwhile is never overwritten blindly. The config PATCH route, bulk jobs, restore and
// drift overwrite all come through here; the device is reached only through its driver (lib/device/drivers, chosen in ./device).
import { applyPatch, applyPatchIfUnchanged, loadDesiredConfig, type DesiredConfig } from "@/lib/config-store";
import type { AuditEntry } from "@/lib/db/audit";
import type { DeviceCredentials } from "@/lib/inventory/devices";
import { getDb } from "@/lib/db";
import { DeviceError, type DeviceConfig } from "@/lib/device";
import { driverFor, type DeviceDriver } from "@/lib/device/drivers";
import { configNetworkErrors } from "@/lib/device/networks";
import type { ConfigState, SnapshotSource } from "@/lib/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { checkPatchValues, validatePatch, type ConfigValues } from "@/lib/params";
import { deviceClientFor, type DriverFor } from "./device";
import {
  computeDrift,
  concurrentChanges,
  desiredFromDevice,
  isSecretKey,
  nextBaseline,
  pendingKeys,
  pick,
  screenDeviceValues,
  valuesToSend,
  verifyReadBack,
  type DeviceValues,
  type Drift,
} from "./logic";
import {
  addSnapshot,
  audit,
  loadPushContext,
  recordIfUnchanged,
  rowState,
  saveConfigState,
  snapshotRows,
  type PushContext,
  type PushErrorInfo,
  type SnapshotInput,
  type StatePatch,
} from "./store";
import { configReader } from "./background";
import { readDevice, recordRead } from "./sync";

export type PushSource = "push" | "restore" | "job";

export interface PushInput {
  deviceId: string;
  /** Catalog keys → device representation; merged into the desired config (validated) before the push. */
  changes: Record<string, unknown>;
  actor: string;
  source?: PushSource;
  jobId?: string;
  /** The before-values the caller saw (jobs): a device that holds something else now is a conflict. */
  expected?: ConfigValues;
  /** The desired config's revision the edit was based on (If-Match of the REST PATCH): another save since → conflict. */
  expectedRevision?: number;
}

export type PushResult =
  | {
      ok: true;
      deviceRevision: number;
      /** The changed keys' values on the device before the push (secrets masked). */
      before: ConfigValues;
      /** The same keys as read back after it (secrets masked). */
      after: ConfigValues;
      snapshotId: number;
      /** Nothing differed: nothing was sent. */
      noop: boolean;
    }
  | { ok: false; error: PushErrorInfo };

/** Test seams: a hook between the first read and the PATCH (a concurrent change lands there), another device driver. */
export interface PushSeams {
  beforePatch?: () => Promise<void>;
  driverFor?: DriverFor;
}

/** A failure the pipeline decided on (not a DeviceError from the transport). */
class PushFailure extends Error {
  constructor(readonly info: PushErrorInfo) {
    super(info.message);
  }
}

const fmt = (v: unknown) => (typeof v === "string" ? `"${v}"` : String(v));

function driftFields(drift: Drift, why: string): Record<string, string> {
  return Object.fromEntries(Object.entries(drift).map(([k, d]) => [k, `${why} (device: ${fmt(d.actual)}, expected ${fmt(d.expected)})`]));
}

const invalid = (fields: Record<string, string>): PushResult => ({
  ok: false,
  error: { code: "validation_failed", message: "Some configuration values are invalid; nothing was saved", fields, retryable: false },
});

/**
 * Saves `changes` to a device: validated, stored as the desired config, pushed and verified. A value that is
 * invalid by itself is refused before any phone is contacted and nothing is recorded. A device the portal never
 * read is read first, so cross-field rules see what it really holds; if it cannot be read nothing is stored and
 * the one audit entry says why. The read is recorded as first contact in the transaction that stores the edit
 * and is the push's own first read (its revision goes into If-Match).
 */
export async function saveDeviceConfig(input: PushInput, seams: PushSeams = {}): Promise<PushResult> {
  const db = await getDb();
  // One read for the whole push: desired config + its row version, the device (model, credentials), the latest
  // snapshot. An unknown device is a 404 only after the values were checked on their own, as before.
  const ctx = await loadPushContext(db, input.deviceId).catch((e) => (e instanceof AppError && e.code === "not_found" ? null : Promise.reject(e)));
  const shape = checkPatchValues(input.changes, ctx?.credentials.model ?? null);
  if (!shape.ok) return invalid(shape.fields);
  // A proxy address outside DEVICE_NETWORKS is refused like any invalid value: before any phone is contacted.
  const outside = configNetworkErrors(input.changes);
  if (Object.keys(outside).length) return invalid(outside);
  if (!ctx) throw notFound("Device");
  const stored = ctx.desired;
  if (input.expectedRevision !== undefined && input.expectedRevision !== stored.revision) {
    throw new AppError("conflict", `The configuration was changed meanwhile (now revision ${stored.revision}); reload and try again`);
  }
  const run: RunInput = {
    deviceId: input.deviceId,
    actor: input.actor,
    source: input.source ?? "push",
    jobId: input.jobId,
    keys: Object.keys(input.changes),
    expected: input.expected,
    seams,
    credentials: ctx.credentials,
  };
  let contact: DeviceConfig | undefined;
  if (stored.baseline === null) {
    run.driver = await driverOf(run);
    const read = await readDevice(run.driver);
    if (!read.ok) return recordFailure(run, { ...read.error, message: `Cannot read the phone's current configuration, so nothing was saved: ${read.error.message}` }, { saved: false });
    contact = read.config;
    run.firstRead = contact;
  }
  // Validated against the values last read (with a first contact: what the phone just reported) before anything
  // is stored: a rejected edit changes nothing at all, first-contact bookkeeping included.
  const basis = contact ? { ...stored.values, ...desiredFromDevice(screenDeviceValues(contact.values).valid) } : stored.values;
  const check = validatePatch(basis, input.changes);
  if (!check.ok) return invalid(check.fields);
  // The common case in one statement: the row is as read (no save or read landed since), no first contact.
  if (!contact && ctx.version !== null) {
    const fast = await applyPatchIfUnchanged(db, input.deviceId, stored, ctx.version, input.changes, input.actor);
    if (fast.ok) return runPush({ ...run, desired: fast.desired, changed: fast.changed, version: fast.version, lastSnapshot: ctx.lastSnapshot });
    if (!("moved" in fast)) return invalid(fast.fields);
  }
  let patched;
  try {
    patched = await db.transaction(async (tx) => {
      let current = await loadDesiredConfig(tx, input.deviceId, true);
      if (contact && current.baseline === null) current = (await recordRead(tx, input.deviceId, input.actor, contact, { adopt: false, audit: false, supports: run.driver?.supports }, current)).desired;
      const r = await applyPatch(tx, input.deviceId, current, input.changes, input.actor, { audit: false });
      if (!r.ok) throw new RejectedMeanwhile(r.fields); // someone saved in between: roll back, nothing recorded
      return { ...r, ...(await rowState(tx, input.deviceId)) };
    });
  } catch (e) {
    if (e instanceof RejectedMeanwhile) return invalid(e.fields);
    throw e;
  }
  run.desired = patched.desired;
  run.changed = patched.changed;
  if (patched.version !== null) Object.assign(run, { version: patched.version, lastSnapshot: patched.lastSnapshot });
  return runPush(run);
}

class RejectedMeanwhile extends Error {
  constructor(readonly fields: Record<string, string>) {
    super("rejected");
  }
}

/** Bulk jobs and older callers: the same operation. */
export const pushDeviceConfig = saveDeviceConfig;

/** Pushes the stored desired config's pending keys (Retry after a failed push). */
export function pushPending(deviceId: string, actor: string): Promise<PushResult> {
  return runPush({ deviceId, actor, source: "push", keys: [], seams: {} });
}

/** Overwrite drift: push the desired values of the drifted keys back to the device. */
export async function overwriteDrift(deviceId: string, actor: string): Promise<PushResult> {
  const desired = await loadDesiredConfig(await getDb(), deviceId, false);
  return runPush({ deviceId, actor, source: "push", keys: Object.keys(desired.drift ?? {}), seams: {}, note: "overwrite drift" });
}

interface RunInput {
  deviceId: string;
  actor: string;
  source: PushSource;
  jobId?: string;
  /** Keys the caller asked for; pending keys of the desired config are pushed too. */
  keys: string[];
  expected?: ConfigValues;
  seams: PushSeams;
  note?: string;
  /** What the caller already has: the desired config as stored, a driver, a read of the device made just now. */
  desired?: DesiredConfig;
  driver?: DeviceDriver;
  firstRead?: DeviceConfig;
  /** The keys this save changed in the desired config (for the audit entry). */
  changed?: string[];
  /** The device as read with the desired config (no second read to build its driver). */
  credentials?: DeviceCredentials;
  /** The config row's version `desired` is at, and the latest snapshot then: the outcome is recorded in one statement if the row did not move. */
  version?: string;
  lastSnapshot?: PushContext["lastSnapshot"];
}

const driverOf = async (run: RunInput): Promise<DeviceDriver> =>
  run.seams.driverFor ? run.seams.driverFor(run.deviceId) : run.credentials ? driverFor(run.credentials) : deviceClientFor(run.deviceId);

interface Applied {
  device: DeviceConfig;
  sent: ConfigValues;
  before: DeviceValues;
}

async function runPush(run: RunInput): Promise<PushResult> {
  const desired = run.desired ?? (await loadDesiredConfig(await getDb(), run.deviceId, false));
  // A key the phone reports an invalid value for (drift with an error) is sent only when asked for — an edit of that
  // key or "overwrite drift" — never as a side effect of saving something else (issue 13, hole 4).
  const invalidOnPhone = (k: string) => Boolean(desired.drift?.[k]?.error);
  const keys = [...new Set([...run.keys, ...pendingKeys(desired.values, desired.baseline).filter((k) => !invalidOnPhone(k))])];
  let driver: DeviceDriver | null = null;
  const pushEnded = configReader().pushing(run.deviceId);
  try {
    driver = run.driver ?? (await driverOf(run));
    const applied = await apply(driver, desired, keys, run);
    // An independent read: the PATCH reply alone does not prove what the device stored.
    const readBack = applied.sent && Object.keys(applied.sent).length ? await driver.getConfig() : applied.device;
    const mismatch = verifyReadBack(applied.sent, readBack.values);
    if (Object.keys(mismatch).length)
      throw new PushFailure({
        code: "verify_failed",
        message: `Device ${driver.address} accepted the change but reads back different values for ${Object.keys(mismatch).join(", ")}`,
        fields: driftFields(mismatch, "Read back differs"),
        retryable: false,
      });
    // A driver that delivers the whole config (provisioning) makes all of it the new baseline, secrets included.
    const wholeConfig = !driver.capabilities.readBack;
    return await recordSuccess(run, desired, applied, readBack, wholeConfig, driver.supports);
  } catch (e) {
    if (e instanceof PushFailure) return recordFailure(run, e.info);
    if (e instanceof DeviceError) {
      const info: PushErrorInfo = { code: e.code, message: e.message, retryable: e.retryable };
      if (e.fields) info.fields = e.fields;
      return recordFailure(run, info);
    }
    throw e;
  } finally {
    pushEnded();
  }
}

/** Read → diff → PATCH with If-Match; on 412 one re-read and re-diff. Returns what was sent (maybe nothing). */
async function apply(driver: DeviceDriver, desired: DesiredConfig, allKeys: string[], run: RunInput): Promise<Applied> {
  // A parameter the phone's model lacks is never sent (the API refuses edits of it; its catalog default stays unsent).
  const keys = allKeys.filter((k) => driver.supports(k));
  const first = run.firstRead ?? (await driver.getConfig());
  if (run.expected) {
    const moved = concurrentChanges(run.expected, first.values, Object.keys(run.expected));
    if (Object.keys(moved).length) throw conflict(driver, moved);
  }
  const sent = valuesToSend(desired.values, first.values, keys);
  if (Object.keys(sent).length === 0) return { device: first, sent, before: {} };
  await run.seams.beforePatch?.();
  try {
    await driver.patchConfig(sent, { ifMatch: first.etag });
    return { device: first, sent, before: pick(first.values, Object.keys(sent)) };
  } catch (e) {
    if (!(e instanceof DeviceError) || e.code !== "conflict") throw e;
  }
  // Someone changed the device between our read and our write: re-read, re-diff, once.
  const again = await driver.getConfig();
  const resend = valuesToSend(desired.values, again.values, keys);
  const moved = concurrentChanges(first.values, again.values, Object.keys(resend));
  if (Object.keys(moved).length) throw conflict(driver, moved);
  if (Object.keys(resend).length === 0) return { device: again, sent: resend, before: {} };
  await driver.patchConfig(resend, { ifMatch: again.etag });
  return { device: again, sent: resend, before: pick(again.values, Object.keys(resend)) };
}

function conflict(driver: DeviceDriver, moved: Drift): PushFailure {
  return new PushFailure({
    code: "conflict",
    message: `Device ${driver.address} was changed meanwhile (${Object.keys(moved).join(", ")}); nothing was overwritten — read from the device and try again`,
    fields: driftFields(moved, "Changed on the device meanwhile"),
    retryable: false,
  });
}

async function recordSuccess(
  run: RunInput,
  desired: DesiredConfig,
  applied: Applied,
  readBack: DeviceConfig,
  wholeConfig: boolean,
  supports: (key: string) => boolean,
): Promise<PushResult> {
  const now = new Date();
  const noop = Object.keys(applied.sent).length === 0;
  const db = await getDb();
  // The outcome as rows, built on the config as stored now (`current`).
  const outcome = (current: DesiredConfig) => {
    // First contact (never read before): the device's own values become the desired config, plus the edits.
    const firstContact = current.baseline === null;
    const values = firstContact
      ? { ...desiredFromDevice(readBack.values), ...pick(current.values, Object.keys(current.values).filter(isSecretKey)), ...applied.sent }
      : current.values;
    // A driver that delivered the whole file: what it delivered (the desired config of this push) is the baseline.
    const baseline = wholeConfig
      ? { ...desiredFromDevice(readBack.values), ...pick(desired.values, Object.keys(desired.values).filter(isSecretKey)) }
      : nextBaseline(current.baseline, readBack.values, applied.sent);
    const drift = computeDrift(baseline, readBack.values);
    const pending = pendingKeys(values, baseline, supports);
    const state: ConfigState = Object.keys(drift).length ? "drifted" : pending.length ? "pending_push" : "in_sync";
    const statePatch: StatePatch = {
      state,
      baseline,
      drift,
      deviceRevision: readBack.revision,
      lastError: null,
      syncedAt: now,
      ...(noop ? {} : { lastPushAt: now }),
      ...(firstContact ? { values, actor: run.actor, revisionBump: true } : {}),
    };
    const snapshot: SnapshotInput = {
      deviceId: run.deviceId,
      actor: run.actor,
      source: run.source as SnapshotSource,
      deviceRevision: readBack.revision,
      device: readBack.values,
      jobId: run.jobId,
      note: run.note,
      always: !noop,
    };
    const entry: AuditEntry = {
      actor: run.actor,
      action: "config.push",
      targetType: "device",
      targetId: run.deviceId,
      // before/after are the device's own (secret-masked) values of the sent keys.
      // The one entry of a save: what changed in the desired config, what was sent, before/after on the device.
      details: { source: run.source, jobId: run.jobId ?? null, revision: desired.revision, changed: run.changed ?? [], deviceRevision: readBack.revision, sent: Object.keys(applied.sent), noop, state, before: applied.before, after: pick(readBack.values, Object.keys(applied.sent)) },
    };
    return { firstContact, statePatch, snapshot, entry };
  };
  let snapshotId: number | null | undefined;
  if (run.version !== undefined && run.lastSnapshot !== undefined) {
    // Nobody wrote the config row since this push stored the desired config: one statement records it all.
    const o = outcome(desired);
    if (!o.firstContact) {
      const rows = snapshotRows(o.snapshot, run.lastSnapshot);
      const r = await recordIfUnchanged(db, run.deviceId, run.version, { state: o.statePatch, snapshot: rows, audit: o.entry });
      if (r) snapshotId = r.snapshotId ?? run.lastSnapshot!.id;
    }
  }
  snapshotId ??= await db.transaction(async (tx) => {
    // Lock the device first and go on from the config as stored now, like every other writer of it (save, read,
    // failure): one lock order everywhere, so a push that ends while a background read of the same phone records
    // what it saw cannot deadlock; and a save or read that landed during the push is built on, not overwritten.
    const current = await loadDesiredConfig(tx, run.deviceId, true);
    const o = outcome(current);
    await saveConfigState(tx, run.deviceId, o.statePatch, current.revision);
    const id = await addSnapshot(tx, o.snapshot);
    await audit(tx, o.entry);
    return id;
  });
  configReader().noteRevision(run.deviceId, readBack.revision);
  return {
    ok: true,
    deviceRevision: readBack.revision,
    before: applied.before,
    after: pick(readBack.values, Object.keys(applied.sent)),
    snapshotId,
    noop,
  };
}

async function recordFailure(run: RunInput, error: PushErrorInfo, options: { saved: boolean } = { saved: true }): Promise<PushResult> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const current = await loadDesiredConfig(tx, run.deviceId, true);
    const lastError = { code: error.code, message: error.message, at: new Date().toISOString(), ...(error.fields ? { fields: error.fields } : {}) };
    // Saved but not delivered → push_failed (kept, Retry pushes it); nothing saved (the first read failed) → only why.
    await saveConfigState(tx, run.deviceId, options.saved ? { state: "push_failed", lastError } : { lastError }, current.revision);
    const changed = run.changed ?? run.keys;
    const after = options.saved ? pick(current.values, changed.filter((k) => !isSecretKey(k))) : {};
    // The one entry of a failed save: what it changed in the desired config (never secret values) and the device's error.
    await audit(tx, {
      actor: run.actor,
      action: "config.push_failed",
      targetType: "device",
      targetId: run.deviceId,
      details: { source: run.source, jobId: run.jobId ?? null, revision: current.revision, saved: options.saved, changed, after, code: error.code, message: error.message, fields: error.fields ?? null },
    });
  });
  return { ok: false, error };
}
