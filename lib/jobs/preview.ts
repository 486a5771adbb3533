// Bulk preview: what a set of changes would do to each selected device, computed from the values last read from
// the phone (never catalog defaults or portal guesses). validatePatch on each device's values gives the cross-field
// check per device (a change valid for one device may be invalid for another). Phones the portal never read are
// read first (a bounded number per request); those still unread are listed apart, never compared with defaults.
import "server-only";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { validationFailed } from "@/lib/errors";
import type { DbOrTx } from "@/lib/db";
import { deviceConfigs } from "@/lib/db/schema";
import { openSecrets } from "@/lib/config-store";
import { configNetworkErrors } from "@/lib/device/networks";
import { SECRET_KEYS, checkParam, paramByKey, validatePatch, type ConfigValues, type FieldErrors } from "@/lib/params";
import { isBulkKey } from "./bulk-params";
import { resolveSelection, type Selection } from "./selection";

/** `unread`: the portal could not read this phone yet; the job reads it first and validates against what it holds. */
export const PREVIEW_STATUSES = ["change", "nochange", "invalid", "unread"] as const;
export type PreviewStatus = (typeof PREVIEW_STATUSES)[number];
export type Diff = Record<string, { from: unknown; to: unknown }>;

export interface PreviewRow {
  deviceId: string;
  name: string;
  status: PreviewStatus;
  diff: Diff;
  errors?: FieldErrors;
  /** The portal never read this phone (status `unread`): nothing to compare with. */
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
  Object.assign(fields, configNetworkErrors(out));
  if (Object.keys(fields).length) throw validationFailed(fields, "Some bulk values are invalid; nothing was changed");
  if (!Object.keys(out).length) throw validationFailed({ values: "Choose at least one setting to change" });
  return out;
}

/** Never-read phones a preview or common-values request reads before answering (the rest are listed as unread). */
export const READ_FIRST_MAX = 25;

/**
 * The values last read from each phone (non-secret, bulk never touches secrets): the baseline (what the phone was
 * last made to hold or reported) with the drifted keys' actual values. null = never read. Chunked: PostgreSQL caps
 * bind parameters per statement.
 */
export async function phoneConfigs(db: DbOrTx, ids: string[]): Promise<Map<string, ConfigValues | null>> {
  const out = new Map<string, ConfigValues | null>();
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    const rows = await db
      .select({ id: deviceConfigs.deviceId, baseline: deviceConfigs.baseline, drift: deviceConfigs.drift })
      .from(deviceConfigs)
      .where(inArray(deviceConfigs.deviceId, chunk));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (!r?.baseline) {
        out.set(id, null);
        continue;
      }
      const values = openSecrets(r.baseline);
      for (const [k, d] of Object.entries(r.drift ?? {})) values[k] = d.actual as string | number;
      for (const k of SECRET_KEYS) delete values[k];
      out.set(id, values);
    }
  }
  return out;
}

/** phoneConfigs, after reading (at most READ_FIRST_MAX of) the never-read phones; the others start reading in the background. */
export async function readPhoneConfigs(db: DbOrTx, ids: string[]): Promise<Map<string, ConfigValues | null>> {
  const first = await phoneConfigs(db, ids);
  const unread = ids.filter((id) => first.get(id) === null);
  if (!unread.length) return first;
  const { configReader } = await import("@/lib/push/background");
  void configReader().readSoon(unread.slice(READ_FIRST_MAX));
  await configReader().readSoon(unread.slice(0, READ_FIRST_MAX));
  const again = await phoneConfigs(db, unread);
  for (const [id, v] of again) first.set(id, v);
  return first;
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
  const configs = await readPhoneConfigs(db, devices.map((d) => d.id));
  const counts = { change: 0, nochange: 0, invalid: 0, unread: 0, total: devices.length };
  const rows = devices.map((d) => {
    const phone = configs.get(d.id) ?? null;
    const row: PreviewRow = phone ? { deviceId: d.id, name: d.name, ...previewOne(phone, values) } : { deviceId: d.id, name: d.name, status: "unread", diff: {}, unread: true };
    counts[row.status] += 1;
    return row;
  });
  return { rows, counts };
}

export interface CommonValue {
  /** true when every selected phone was read and holds the same value. */
  common: boolean;
  value: string | number | null;
  /** Mixed or not: each value the read phones hold and how many hold it, most common first. */
  holders: { value: string | number | null; devices: number }[];
}

export interface CommonValues {
  total: number;
  values: Record<string, CommonValue>;
  /** Selected phones the portal could not read (yet): left out of `values`; up to 20 names listed. */
  unread: { count: number; names: string[] };
}

/** Per key: what the selected phones hold (values last read from them), shared or mixed with counts. */
export async function commonValues(db: DbOrTx, selection: Selection, keys: string[]): Promise<CommonValues> {
  const bad = keys.filter((k) => !isBulkKey(k));
  if (bad.length) throw validationFailed(Object.fromEntries(bad.map((k) => [k, "Not part of the bulk edit"])));
  const devices = await resolveSelection(db, selection);
  const configs = await readPhoneConfigs(db, devices.map((d) => d.id));
  const read = [...configs.values()].filter((c): c is ConfigValues => c !== null);
  const unreadNames = devices.filter((d) => configs.get(d.id) === null).map((d) => d.name);
  const values: Record<string, CommonValue> = {};
  for (const key of keys) {
    const counts = new Map<string | number | null, number>();
    for (const cfg of read) {
      const v = cfg[key] ?? null;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const holders = [...counts].map(([value, n]) => ({ value, devices: n })).sort((a, b) => b.devices - a.devices || String(a.value).localeCompare(String(b.value)));
    const common = holders.length === 1 && unreadNames.length === 0;
    values[key] = { common, value: common ? holders[0].value : null, holders };
  }
  return { total: devices.length, values, unread: { count: unreadNames.length, names: unreadNames.slice(0, 20) } };
}
