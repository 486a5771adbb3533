// Push: validate with the catalog → read the device's config and revision → PATCH only the changed keys with
// If-Match → read back → compare with what was meant → record. A 412 re-reads and re-diffs once; a key that
// someone changed meanwhile is never overwritten blindly.
import { applyPatch, loadDesiredConfig, type DesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { DeviceError, type DeviceClient, type DeviceConfig } from "@/lib/device";
import type { SnapshotSource } from "@/lib/db/schema";
import type { ConfigValues } from "@/lib/params";
import type { DeviceDriver } from "@/lib/device/drivers";
import { deviceClientFor } from "./device";
import {
  computeDrift,
  concurrentChanges,
  desiredFromDevice,
  isSecretKey,
  nextBaseline,
  pendingKeys,
  pick,
  valuesToSend,
  verifyReadBack,
  type DeviceValues,
  type Drift,
} from "./logic";
import { addSnapshot, audit, saveConfigState, type PushErrorInfo } from "./store";
import { readDevice, recordRead, recordReadFailure } from "./sync";

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

/** Test seam: runs between the first read and the PATCH (a concurrent change lands here in tests). */
export interface PushSeams {
  beforePatch?: () => Promise<void>;
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

/**
 * Applies `changes` to the desired config (validated, stored as pending) and pushes it to the device.
 * A device the portal never read is read first and recorded as first contact in the same transaction that
 * stores the edit, so the edit is validated against what the device holds; that read is then the push's own
 * first read (its revision goes into If-Match; a change on the device since is a 412 like any other).
 */
export async function pushDeviceConfig(input: PushInput, seams: PushSeams = {}): Promise<PushResult> {
  const db = await getDb();
  const stored = await loadDesiredConfig(db, input.deviceId, false);
  let client: DeviceClient | undefined;
  let contact: DeviceConfig | undefined;
  if (stored.baseline === null) {
    client = await deviceClientFor(input.deviceId);
    const read = await readDevice(input.deviceId, client);
    // Unreadable: the edit is validated against what the portal has; the push that follows reports why.
    if (read.ok) contact = read.config;
    else await recordReadFailure(input.deviceId, input.actor, read.error);
  }
  const patched = await db.transaction(async (tx) => {
    let current = await loadDesiredConfig(tx, input.deviceId, true);
    if (contact && current.baseline === null) current = (await recordRead(tx, input.deviceId, input.actor, contact, false, current)).desired;
    return applyPatch(tx, input.deviceId, current, input.changes, input.actor);
  });
  if (!patched.ok) {
    return { ok: false, error: { code: "validation_failed", message: "Some configuration values are invalid; nothing was saved", fields: patched.fields, retryable: false } };
  }
  return runPush({
    deviceId: input.deviceId,
    actor: input.actor,
    source: input.source ?? "push",
    jobId: input.jobId,
    keys: Object.keys(input.changes),
    expected: input.expected,
    seams,
    desired: patched.desired,
    client,
    firstRead: contact,
  });
}

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
  /** What the caller already has: the desired config as stored, a client, a read of the device made just now. */
  desired?: DesiredConfig;
  client?: DeviceClient;
  firstRead?: DeviceConfig;
}

interface Applied {
  device: DeviceConfig;
  sent: ConfigValues;
  before: DeviceValues;
}

async function runPush(run: RunInput): Promise<PushResult> {
  const desired = run.desired ?? (await loadDesiredConfig(await getDb(), run.deviceId, false));
  const keys = [...new Set([...run.keys, ...pendingKeys(desired.values, desired.baseline)])];
  let client: DeviceClient | null = null;
  try {
    client = run.client ?? (await deviceClientFor(run.deviceId));
    const applied = await apply(client, desired, keys, run);
    // An independent read: the PATCH reply alone does not prove what the device stored.
    const readBack = applied.sent && Object.keys(applied.sent).length ? await client.getConfig() : applied.device;
    const mismatch = verifyReadBack(applied.sent, readBack.values);
    if (Object.keys(mismatch).length)
      throw new PushFailure({
        code: "verify_failed",
        message: `Device ${client.address} accepted the change but reads back different values for ${Object.keys(mismatch).join(", ")}`,
        fields: driftFields(mismatch, "Read back differs"),
        retryable: false,
      });
    // A driver that delivers the whole config (provisioning) makes all of it the new baseline, secrets included.
    const wholeConfig = "capabilities" in client && !(client as DeviceDriver).capabilities.readBack;
    return await recordSuccess(run, desired, applied, readBack, wholeConfig);
  } catch (e) {
    if (e instanceof PushFailure) return recordFailure(run, e.info);
    if (e instanceof DeviceError) {
      const info: PushErrorInfo = { code: e.code, message: e.message, retryable: e.retryable };
      if (e.fields) info.fields = e.fields;
      return recordFailure(run, info);
    }
    throw e;
  }
}

/** Read → diff → PATCH with If-Match; on 412 one re-read and re-diff. Returns what was sent (maybe nothing). */
async function apply(client: DeviceClient, desired: DesiredConfig, keys: string[], run: RunInput): Promise<Applied> {
  const first = run.firstRead ?? (await client.getConfig());
  if (run.expected) {
    const moved = concurrentChanges(run.expected, first.values, Object.keys(run.expected));
    if (Object.keys(moved).length) throw conflict(client, moved);
  }
  const sent = valuesToSend(desired.values, first.values, keys);
  if (Object.keys(sent).length === 0) return { device: first, sent, before: {} };
  await run.seams.beforePatch?.();
  try {
    await client.patchConfig(sent, { ifMatch: first.etag });
    return { device: first, sent, before: pick(first.values, Object.keys(sent)) };
  } catch (e) {
    if (!(e instanceof DeviceError) || e.code !== "conflict") throw e;
  }
  // Someone changed the device between our read and our write: re-read, re-diff, once.
  const again = await client.getConfig();
  const resend = valuesToSend(desired.values, again.values, keys);
  const moved = concurrentChanges(first.values, again.values, Object.keys(resend));
  if (Object.keys(moved).length) throw conflict(client, moved);
  if (Object.keys(resend).length === 0) return { device: again, sent: resend, before: {} };
  await client.patchConfig(resend, { ifMatch: again.etag });
  return { device: again, sent: resend, before: pick(again.values, Object.keys(resend)) };
}

function conflict(client: DeviceClient, moved: Drift): PushFailure {
  return new PushFailure({
    code: "conflict",
    message: `Device ${client.address} was changed meanwhile (${Object.keys(moved).join(", ")}); nothing was overwritten — read from the device and try again`,
    fields: driftFields(moved, "Changed on the device meanwhile"),
    retryable: false,
  });
}

async function recordSuccess(run: RunInput, desired: DesiredConfig, applied: Applied, readBack: DeviceConfig, wholeConfig = false): Promise<PushResult> {
  const now = new Date();
  const noop = Object.keys(applied.sent).length === 0;
  // First contact (never read before): the device's own values become the desired config, plus the edits.
  const firstContact = desired.baseline === null;
  const values = firstContact
    ? { ...desiredFromDevice(readBack.values), ...pick(desired.values, Object.keys(desired.values).filter(isSecretKey)), ...applied.sent }
    : desired.values;
  const baseline = wholeConfig
    ? { ...desiredFromDevice(readBack.values), ...pick(desired.values, Object.keys(desired.values).filter(isSecretKey)) }
    : nextBaseline(desired.baseline, readBack.values, applied.sent);
  const drift = computeDrift(baseline, readBack.values);
  const pending = pendingKeys(values, baseline);
  const state = Object.keys(drift).length ? "drifted" : pending.length ? "pending_push" : "in_sync";
  const db = await getDb();
  const snapshotId = await db.transaction(async (tx) => {
    await saveConfigState(
      tx,
      run.deviceId,
      {
        state,
        baseline,
        drift,
        deviceRevision: readBack.revision,
        lastError: null,
        syncedAt: now,
        ...(noop ? {} : { lastPushAt: now }),
        ...(firstContact ? { values, actor: run.actor, revisionBump: true } : {}),
      },
      desired.revision,
    );
    const id = await addSnapshot(tx, {
      deviceId: run.deviceId,
      actor: run.actor,
      source: run.source as SnapshotSource,
      deviceRevision: readBack.revision,
      device: readBack.values,
      jobId: run.jobId,
      note: run.note,
      always: !noop,
    });
    await audit(tx, {
      actor: run.actor,
      action: "config.push",
      targetType: "device",
      targetId: run.deviceId,
      // before/after are the device's own (secret-masked) values of the sent keys.
      details: { source: run.source, jobId: run.jobId ?? null, deviceRevision: readBack.revision, sent: Object.keys(applied.sent), noop, state, before: applied.before, after: pick(readBack.values, Object.keys(applied.sent)) },
    });
    return id;
  });
  return {
    ok: true,
    deviceRevision: readBack.revision,
    before: applied.before,
    after: pick(readBack.values, Object.keys(applied.sent)),
    snapshotId,
    noop,
  };
}

async function recordFailure(run: RunInput, error: PushErrorInfo): Promise<PushResult> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const current = await loadDesiredConfig(tx, run.deviceId, true);
    const lastError = { code: error.code, message: error.message, at: new Date().toISOString(), ...(error.fields ? { fields: error.fields } : {}) };
    await saveConfigState(tx, run.deviceId, { state: "push_failed", lastError }, current.revision);
    await audit(tx, {
      actor: run.actor,
      action: "config.push_failed",
      targetType: "device",
      targetId: run.deviceId,
      details: { source: run.source, jobId: run.jobId ?? null, code: error.code, message: error.message, fields: error.fields ?? null },
    });
  });
  return { ok: false, error };
}
