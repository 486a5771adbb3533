// Bulk preview: what a set of changes would do to each selected device, computed from the portal's known config
// (desired values over catalog defaults). validatePatch on each device's merged config gives the cross-field
// check per device (a change valid for one device may be invalid for another).
import "server-only";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { validationFailed } from "@/lib/errors";
import type { DbOrTx } from "@/lib/db";
import { deviceConfigs } from "@/lib/db/schema";
import { SECRET_KEYS, checkParam, defaultConfig, paramByKey, validatePatch, type ConfigValues, type FieldErrors } from "@/lib/params";
import { isBulkKey } from "./bulk-params";
import { resolveSelection, type Selection } from "./selection";

export type PreviewStatus = "change" | "nochange" | "invalid";
export type Diff = Record<string, { from: unknown; to: unknown }>;

export interface PreviewRow {
  deviceId: string;
  name: string;
  status: PreviewStatus;
  diff: Diff;
  errors?: FieldErrors;
  /** The portal never read this device's config: the row compares with catalog defaults, not the device. */
  unread?: true;
}

export interface Preview {
  rows: PreviewRow[];
  counts: Record<PreviewStatus, number> & { total: number };
}


export const bulkValuesSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/**
 * The change itself, independent of any device: only bulk keys, at least one, each value of the right type and
 * range. Cross-field rules are per device (preview).
 */
export function checkBulkValues(values: unknown): ConfigValues {
  const parsed = bulkValuesSchema.safeParse(values);
  if (!parsed.success) throw validationFailed({ values: "values must be an object of parameter keys to strings or numbers" });
  const fields: FieldErrors = {};
  const out: ConfigValues = {};
  for (const [key, raw] of Object.entries(parsed.data)) {
    const p = paramByKey(key);
    if (!p) fields[key] = "Unknown parameter";
    else if (!isBulkKey(key)) fields[key] = "Not part of the bulk edit (proxy-related, non-secret settings only)";
    else {
      const r = checkParam(p, raw, "api");
      if (r.ok) out[key] = r.value;
      else fields[key] = r.message;
    }
  }
  if (Object.keys(fields).length) throw validationFailed(fields, "Some bulk values are invalid; nothing was changed");
  if (!Object.keys(out).length) throw validationFailed({ values: "Choose at least one setting to change" });
  return out;
}

/** Known config per device: desired values over catalog defaults, secrets left out (bulk never touches them). */
export async function knownConfigs(db: DbOrTx, ids: string[], unread?: Set<string>): Promise<Map<string, ConfigValues>> {
  const out = new Map<string, ConfigValues>();
  const defaults = defaultConfig();
  for (const k of SECRET_KEYS) delete defaults[k];
  // Chunked: PostgreSQL caps bind parameters per statement.
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const rows = await db
      .select({ id: deviceConfigs.deviceId, values: deviceConfigs.values, deviceRevision: deviceConfigs.deviceRevision })
      .from(deviceConfigs)
      .where(inArray(deviceConfigs.deviceId, chunk));
    const byId = new Map(rows.map((r) => [r.id, r.values]));
    const read = new Set(rows.filter((r) => r.deviceRevision !== null).map((r) => r.id));
    if (unread) for (const id of chunk) if (!read.has(id)) unread.add(id);
    for (const id of chunk) {
      const stored = { ...(byId.get(id) ?? {}) } as ConfigValues;
      for (const k of SECRET_KEYS) delete stored[k];
      out.set(id, { ...defaults, ...stored });
    }
  }
  return out;
}

/** One device: the merged config must be valid; the diff holds only keys that actually change. */
export function previewOne(current: ConfigValues, values: ConfigValues): { status: PreviewStatus; diff: Diff; errors?: FieldErrors } {
  const r = validatePatch(current, values);
  if (!r.ok) return { status: "invalid", diff: {}, errors: r.fields };
  const diff: Diff = {};
  for (const [k, to] of Object.entries(r.changed)) diff[k] = { from: current[k] ?? null, to };
  return { status: Object.keys(diff).length ? "change" : "nochange", diff };
}

export async function previewSelection(db: DbOrTx, selection: Selection, rawValues: unknown): Promise<Preview> {
  const values = checkBulkValues(rawValues);
  const devices = await resolveSelection(db, selection);
  const unread = new Set<string>();
  const configs = await knownConfigs(db, devices.map((d) => d.id), unread);
  const counts = { change: 0, nochange: 0, invalid: 0, total: devices.length };
  const rows = devices.map((d) => {
    const row: PreviewRow = { deviceId: d.id, name: d.name, ...previewOne(configs.get(d.id)!, values), ...(unread.has(d.id) ? { unread: true as const } : {}) };
    counts[row.status] += 1;
    return row;
  });
  return { rows, counts };
}

export interface CommonValue {
  /** true when every selected device has the same value. */
  common: boolean;
  value: string | number | null;
}

/** Per key: the shared value of the selection, or mixed (common: false). */
export async function commonValues(db: DbOrTx, selection: Selection, keys: string[]): Promise<{ total: number; values: Record<string, CommonValue> }> {
  const bad = keys.filter((k) => !isBulkKey(k));
  if (bad.length) throw validationFailed(Object.fromEntries(bad.map((k) => [k, "Not part of the bulk edit"])));
  const devices = await resolveSelection(db, selection);
  const configs = await knownConfigs(db, devices.map((d) => d.id));
  const values: Record<string, CommonValue> = {};
  for (const key of keys) {
    let first: string | number | null = null;
    let common = true;
    let seen = false;
    for (const cfg of configs.values()) {
      const v = cfg[key] ?? null;
      if (!seen) {
        first = v;
        seen = true;
      } else if (v !== first) {
        common = false;
        break;
      }
    }
    values[key] = { common: common && seen, value: common ? first : null };
  }
  return { total: devices.length, values };
}
