// The push pipeline's decisions as pure functions (no I/O), so every rule is unit-tested on its own:
// what to send, whether a read-back proves the push, what counts as drift, what a snapshot records.
import { EDITABLE_PARAMS, SECRET_MASK, checkParam, defaultConfig, isApplicable, isSecretKey, paramByKey, type ConfigValues } from "@/lib/params";

/** The device shows a stored secret as this (the same mask as the portal's); it never reveals the value. */
export const DEVICE_SECRET_MASK = SECRET_MASK;

const EDITABLE_KEYS = new Set(EDITABLE_PARAMS.map((p) => p.key));

export { isSecretKey };

export type DeviceValues = Record<string, string | number>;
/** `error`: the phone reports a value the catalog refuses (never adopted, never written into a file). */
export type Drift = Record<string, { expected: unknown; actual: unknown; error?: string }>;

export const INVALID_FROM_PHONE = "The phone reports an invalid value";

/**
 * Why a value a phone reported is unusable (type, range, length, control characters), or null when it is fine: the
 * same rule as a value an admin sends through the API (checkParam, "api" mode), so a phone cannot slip in what the
 * portal would refuse from a person — a boolean 2, a fractional integer.
 */
export function deviceValueError(key: string, value: unknown): string | null {
  const p = paramByKey(key);
  if (!p || p.readOnly) return null;
  if (p.secret) return typeof value === "string" ? null : `${INVALID_FROM_PHONE}: not text`;
  const r = checkParam(p, value, "api", false);
  return r.ok ? null : `${INVALID_FROM_PHONE}: ${JSON.stringify(value)?.slice(0, 80)} (${r.message})`;
}

/** A phone's reported values split into the usable ones and those the catalog refuses (issue 13: hostile phones). */
export function screenDeviceValues(device: DeviceValues): { valid: DeviceValues; invalid: Record<string, string> } {
  const valid: DeviceValues = {};
  const invalid: Record<string, string> = {};
  for (const [k, v] of Object.entries(device)) {
    const error = deviceValueError(k, v);
    if (error === null) valid[k] = v;
    else invalid[k] = error;
  }
  return { valid, invalid };
}
export type Changes = Record<string, { from: unknown; to: unknown }>;

export function pick<T extends Record<string, unknown>>(values: T, keys: Iterable<string>): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in values) out[k] = values[k];
  return out as T;
}

/**
 * Keys the desired config has changed against the baseline (what the device was last made to hold). Secrets
 * are compared in clear here (both sides are server-side). Without a baseline (the device was never read) the
 * only portal edits we can tell apart are values that differ from the catalog defaults.
 */
export function pendingKeys(desired: ConfigValues, baseline: ConfigValues | null, supports: (key: string) => boolean = () => true): string[] {
  const reference = baseline ?? defaultConfig();
  // Every editable key counts, applicable or not: a value given for a parameter that does not apply yet is sent too.
  // A parameter the phone's model lacks never is (its catalog default cannot be pending on that phone).
  return EDITABLE_PARAMS.map((p) => p.key).filter((k) => k in desired && supports(k)).filter((k) => {
    if (isSecretKey(k)) return (reference[k] ?? "") !== (desired[k] ?? "");
    return reference[k] !== desired[k];
  });
}

/**
 * The PATCH body: of the keys the push concerns, the editable ones whose device value differs from the desired
 * one — also where the parameter does not apply now (the phone keeps it until it does). Secrets cannot be
 * compared (the device masks them), so a secret is sent whenever it is in `keys`.
 */
export function valuesToSend(desired: ConfigValues, device: DeviceValues, keys: Iterable<string>): ConfigValues {
  const out: ConfigValues = {};
  for (const k of new Set(keys)) {
    if (!EDITABLE_KEYS.has(k) || !(k in desired)) continue;
    if (isSecretKey(k) || device[k] !== desired[k]) out[k] = desired[k];
  }
  return out;
}

/** Keys (non-secret) whose read-back differs from what was sent: {key: {expected, actual}}. Empty = verified. */
export function verifyReadBack(sent: ConfigValues, readBack: DeviceValues): Drift {
  const mismatches: Drift = {};
  for (const [k, v] of Object.entries(sent)) {
    if (isSecretKey(k)) continue;
    if (readBack[k] !== v) mismatches[k] = { expected: v, actual: readBack[k] ?? null };
  }
  return mismatches;
}

/**
 * An invalid value as the portal keeps and shows it in drift: control characters written as \\uXXXX (a NUL cannot
 * even be stored in jsonb, and a line break would forge a line wherever it is shown), at most 200 characters.
 */
export function reportedValue(value: string | number): string | number {
  if (typeof value !== "string") return value;
  // eslint-disable-next-line no-control-regex
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return printable.length > 200 ? `${printable.slice(0, 199)}…` : printable;
}

/**
 * Drift: editable, non-secret keys where the device differs from the baseline (someone changed it locally).
 * Applicable or not (the portal sends and keeps values that do not apply yet); a key missing on either side is
 * not judged (an older firmware may not know a key).
 */
export function computeDrift(baseline: ConfigValues | null, device: DeviceValues): Drift {
  if (!baseline) return {};
  const drift: Drift = {};
  for (const p of EDITABLE_PARAMS) {
    const k = p.key;
    if (p.secret || !(k in device)) continue;
    // An invalid value is drift whatever applies: the portal never adopts it, so the phone differs from it.
    const error = deviceValueError(k, device[k]);
    if (error) {
      drift[k] = { expected: baseline[k] ?? null, actual: reportedValue(device[k]), error };
      continue;
    }
    if (!(k in baseline)) continue;
    // Also where the parameter does not apply: the portal sends such values too, so the phone's own change counts.
    if (device[k] !== baseline[k]) drift[k] = { expected: baseline[k], actual: device[k] };
  }
  return drift;
}

/**
 * A newer revision on the phone whose only differences from the baseline are the desired values of a saved edit
 * still being pushed (state pending_push): the push's PATCH arrived and its record (maybe in another process) has
 * not landed yet. A background read recording it would show the portal's own push as a change made on the phone
 * (drift) and write a second revision for it; the push records it instead.
 */
export function ownPushLanding(
  stored: { state: string; values: ConfigValues; baseline: ConfigValues | null; deviceRevision: number | null },
  device: { revision: number; values: DeviceValues },
): boolean {
  if (stored.state !== "pending_push" || stored.baseline === null || stored.deviceRevision === null || device.revision <= stored.deviceRevision) return false;
  const drift = computeDrift(stored.baseline, device.values);
  const keys = Object.keys(drift);
  return keys.length > 0 && keys.every((k) => !drift[k].error && device.values[k] === stored.values[k]);
}

/**
 * Keys where the device now differs from what the push was based on (a concurrent change between our read and
 * our write). Used after a 412 and for a job's `expected` before-values: such keys are never overwritten blindly.
 */
export function concurrentChanges(basis: Record<string, unknown>, device: DeviceValues, keys: Iterable<string>): Drift {
  const out: Drift = {};
  for (const k of keys) {
    if (isSecretKey(k) || !(k in basis)) continue;
    if (device[k] !== basis[k]) out[k] = { expected: basis[k], actual: device[k] ?? null };
  }
  return out;
}

/** The editable config as a device reports it, secrets reduced to "set"/"empty" (never a value). */
export function snapshotValues(device: DeviceValues): DeviceValues {
  const out: DeviceValues = {};
  for (const [k, v] of Object.entries(device)) {
    if (!EDITABLE_KEYS.has(k) || deviceValueError(k, v)) continue;
    out[k] = isSecretKey(k) ? (v === "" ? "" : DEVICE_SECRET_MASK) : v;
  }
  return out;
}

/** {key: {from, to}} between two snapshots' values (keys present on either side). */
export function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown>): Changes {
  const out: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const k of keys) {
    const from = before?.[k] ?? null;
    const to = after[k] ?? null;
    if (from !== to) out[k] = { from, to };
  }
  return out;
}

/**
 * The device's editable values as a desired config (first contact, adopt). Secrets are left out: the device
 * only shows a mask, and an absent secret in the desired config means "keep what the device has".
 */
export function desiredFromDevice(device: DeviceValues): ConfigValues {
  const out: ConfigValues = {};
  for (const [k, v] of Object.entries(device)) if (EDITABLE_KEYS.has(k) && !isSecretKey(k) && !deviceValueError(k, v)) out[k] = v;
  return out;
}

/** After a verified push: the new baseline is the old one with the sent (and confirmed) values. */
export function nextBaseline(baseline: ConfigValues | null, device: DeviceValues, sent: ConfigValues): ConfigValues {
  return { ...(baseline ?? desiredFromDevice(device)), ...sent };
}
