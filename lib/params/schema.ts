// Config validation built from the catalog: whole configs and patches for the REST API, zod schemas for the
// form (react-hook-form + zodResolver). Pure (zod only): runs in the browser and on the server.
import { z } from "zod";
import { CATALOG, paramByKey, sectionParams, type ParamDef, type ParamValue, type SectionId } from "./catalog";
import { profileFor, unsupportedFields, type ModelId } from "./profiles";
import { checkParam, parseInput } from "./rules";

/** Device representation: booleans 0/1, integers as numbers, enums as option values, strings. */
export type ConfigValues = Record<string, string | number>;

/** How a stored secret is shown (config.cfg, replies, forms). Sent back, it means "keep" — never a new value. */
export const SECRET_MASK = "********";
const keepsSecret = (raw: unknown) => raw === undefined || raw === null || raw === SECRET_MASK;
/** As returned to a browser: secrets are null. */
export type MaskedConfigValues = Record<string, string | number | null>;
/** Form representation: checkboxes are booleans, everything else is the text of an input or select. */
export type FormValues = Record<string, string | boolean>;
export type FieldErrors = Record<string, string>;

export type ConfigResult = { ok: true; values: ConfigValues } | { ok: false; fields: FieldErrors };
export type PatchResult =
  | { ok: true; values: ConfigValues; changed: ConfigValues }
  | { ok: false; fields: FieldErrors };

/** Error key used when the input is not an object at all. */
export const ROOT_ERROR_KEY = "values";
const NOT_AN_OBJECT = "Must be an object of parameter keys to values";

/** Parameters an administrator can set (everything except firmware-written status). */
export const EDITABLE_PARAMS: readonly ParamDef[] = CATALOG.filter((p: ParamDef) => !p.readOnly);

/** Write-only parameters (SIP passwords): never sent to a browser, stored encrypted, masked by the device. */
export const SECRET_KEYS: readonly string[] = CATALOG.filter((p: ParamDef) => p.secret).map((p) => p.key);
const SECRET_KEY_SET = new Set(SECRET_KEYS);
export const isSecretKey = (key: string): boolean => SECRET_KEY_SET.has(key);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Compares a controller value in either representation (0/1, true/false, "tls") with `appliesWhen.equals`. */
function sameValue(raw: unknown, expected: ParamValue): boolean {
  const normalized = typeof raw === "boolean" ? (raw ? 1 : 0) : raw;
  return normalized !== undefined && normalized !== null && String(normalized) === String(expected);
}

/** Whether `param` matters given `values` (device or form representation). */
export function isApplicable(param: ParamDef, values: Record<string, unknown>): boolean {
  const rule = param.appliesWhen;
  if (!rule) return true;
  const controller = paramByKey(rule.key);
  if (controller && !isApplicable(controller, values)) return false;
  return sameValue(values[rule.key], rule.equals);
}

export function defaultConfig(): ConfigValues {
  return Object.fromEntries(EDITABLE_PARAMS.map((p) => [p.key, p.default]));
}

/**
 * A whole configuration (e.g. a restore or an import). Unknown keys are errors; the read-only status key is
 * ignored; a secret may be absent or null (unknown/keep). A value for a parameter that does not apply now is
 * checked like any other (an address may stay unset) and kept.
 */
export function validateConfig(values: unknown): ConfigResult {
  if (!isRecord(values)) return { ok: false, fields: { [ROOT_ERROR_KEY]: NOT_AN_OBJECT } };
  const fields: FieldErrors = {};
  for (const key of Object.keys(values)) if (!paramByKey(key)) fields[key] = "Unknown parameter";
  const out: ConfigValues = {};
  for (const p of EDITABLE_PARAMS) {
    const raw = values[p.key];
    if (p.secret && keepsSecret(raw)) continue;
    if (isApplicable(p, values)) {
      const r = checkParam(p, raw, "api");
      if (r.ok) out[p.key] = r.value;
      else fields[p.key] = r.message;
    } else if (raw !== undefined) {
      // Not applicable now: still checked (type, range, length; an address may stay unset) and kept, never dropped.
      const r = checkParam(p, raw, "api", false);
      if (r.ok) out[p.key] = r.value;
      else fields[p.key] = r.message;
    }
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, values: out };
}

/** The patch's keys that name settable parameters; unknown and read-only keys are field errors. */
function incomingValues(patch: Record<string, unknown>, fields: FieldErrors): Record<string, unknown> {
  const incoming: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(patch)) {
    const p = paramByKey(key);
    if (!p) fields[key] = "Unknown parameter";
    else if (p.readOnly) fields[key] = "Read-only status; it cannot be set";
    else if (!(p.secret && keepsSecret(raw))) incoming[key] = raw;
  }
  return incoming;
}

/**
 * A patch checked on its own, before any device is contacted: known, settable keys, each value of the right
 * type, range, length and characters (whatever applies later). Cross-field rules need the device's values
 * (validatePatch); this is what lets a hopeless save fail without touching a phone.
 */
export function checkPatchValues(patch: unknown, model?: ModelId | null): { ok: true } | { ok: false; fields: FieldErrors } {
  if (!isRecord(patch)) return { ok: false, fields: { [ROOT_ERROR_KEY]: NOT_AN_OBJECT } };
  // A parameter the device's model lacks is refused by name ("Not supported by this model (…)"), never dropped.
  const fields: FieldErrors = model === undefined ? {} : unsupportedFields(profileFor(model), patch);
  for (const [key, raw] of Object.entries(incomingValues(patch, fields))) {
    if (fields[key]) continue;
    const r = checkParam(paramByKey(key)!, raw, "api", false);
    if (!r.ok) fields[key] = r.message;
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true };
}

/**
 * A partial change checked on the merged result, so cross-field rules see what the device would get.
 * Nothing given is dropped: a value for a parameter that does not apply now is still checked (type, range …),
 * kept and sent — it takes effect when the parameter applies. An applicable value is checked fully (an address
 * may not be 0.0.0.0). Values the patch does not touch are re-checked only where the patch makes them apply.
 * `changed` holds the given keys whose value differs from `current`. A secret absent or null means "keep".
 */
export function validatePatch(current: ConfigValues, patch: unknown): PatchResult {
  if (!isRecord(patch)) return { ok: false, fields: { [ROOT_ERROR_KEY]: NOT_AN_OBJECT } };
  const fields: FieldErrors = {};
  const incoming = incomingValues(patch, fields);
  const merged: Record<string, unknown> = { ...current, ...incoming };
  const values: ConfigValues = { ...current };
  const changed: ConfigValues = {};
  for (const p of EDITABLE_PARAMS) {
    const given = p.key in incoming;
    const applicable = isApplicable(p, merged);
    if (!given && (!applicable || isApplicable(p, current))) continue;
    const raw = merged[p.key];
    if (p.secret && raw === undefined) continue;
    const r = checkParam(p, raw, "api", applicable);
    if (!r.ok) {
      fields[p.key] = r.message;
      continue;
    }
    values[p.key] = r.value;
    if (given && current[p.key] !== r.value) changed[p.key] = r.value;
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, values, changed };
}

/** What would be sent to a device: applicable, non-read-only keys. */
export function applicableValues(values: ConfigValues): ConfigValues {
  return Object.fromEntries(
    EDITABLE_PARAMS.filter((p) => p.key in values && isApplicable(p, values)).map((p) => [p.key, values[p.key]]),
  );
}

/** Secrets are write-only: replaced by null before anything leaves the server. */
export function maskSecrets(values: Record<string, string | number | null>): MaskedConfigValues {
  const out: MaskedConfigValues = { ...values };
  for (const k of SECRET_KEYS) out[k] = null;
  return out;
}

/** Keys of `after` whose value differs from `before`. */
export function diffValues(before: Record<string, unknown>, after: ConfigValues): ConfigValues {
  // A key the config does not have (a parameter the phone's model lacks) has no control in the form: never a change.
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => k in before && before[k] !== v));
}

// ── Form ────────────────────────────────────────────────────────────────────────────────────────────────

/** Device values → form values. A secret starts empty: an empty password input means "unchanged". */
export function toFormValues(values: MaskedConfigValues): FormValues {
  const out: FormValues = {};
  for (const p of EDITABLE_PARAMS) {
    const v = values[p.key] ?? p.default;
    if (p.type === "boolean") out[p.key] = v === 1;
    else out[p.key] = p.secret ? "" : String(v);
  }
  return out;
}

/** The form value that stands for a parameter's default. */
export function defaultFormValue(p: ParamDef): string | boolean {
  return p.type === "boolean" ? p.default === 1 : p.secret ? "" : String(p.default);
}

/** Form values → device values for the given parameters (surrounding blanks trimmed); inapplicable ones and empty secrets are left out. */
export function parseFormValues(form: Record<string, unknown>, params: readonly ParamDef[]): ConfigResult {
  const fields: FieldErrors = {};
  const values: ConfigValues = {};
  for (const p of params) {
    if (p.readOnly || !isApplicable(p, form)) continue;
    const raw = form[p.key];
    if (p.secret && (raw === "" || raw === undefined)) continue;
    const r = checkParam(p, raw, "form");
    if (r.ok) values[p.key] = r.value;
    else fields[p.key] = r.message;
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, values };
}

function formSchemaFor(params: readonly ParamDef[]) {
  return z
    .custom<FormValues>(isRecord, { message: NOT_AN_OBJECT })
    .transform((form, ctx): ConfigValues => {
      const r = parseFormValues(form, params);
      if (r.ok) return r.values;
      for (const [key, message] of Object.entries(r.fields)) ctx.addIssue({ code: "custom", path: [key], message });
      return z.NEVER;
    });
}

/** zod schema for the whole config form: input FormValues, output device ConfigValues (applicable keys). */
export const formSchema = formSchemaFor(EDITABLE_PARAMS);

/** Same for one section (its switches live in the same section, so applicability is self-contained). */
export function sectionSchema(sectionId: SectionId) {
  return formSchemaFor(sectionParams(sectionId));
}
