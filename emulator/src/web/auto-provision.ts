// The web interface's provisioning form (POST /mainform.cgi/Auto_Provision.htm) as data: form field ↔ the
// family's provisioning key, with the form's numeric codes. Fields and the ASU_METHOD / ASU_PERIOD=3 codes are
// from the public elastix AudioCodes.py; the other codes are assumptions (emulator/README.md, Web interface).
import type { ConfigValues } from "../sip/phone-contract";
import { PERIOD_TYPES, PROVISIONING_KEY as K, PROVISIONING_METHODS, WEEKDAYS } from "../profiles/index";

type Value = string | number;

interface FieldRule {
  field: string;
  key: string;
  /** Form text → stored value, or an error message. */
  decode(text: string): { value: Value } | { error: string };
  /** Stored value → form text (for the page showing the form). */
  encode(value: Value | undefined): string;
}

const integer = (text: string) => (/^\d+$/.test(text.trim()) ? { value: Number(text.trim()) } : { error: "must be a whole number" });

const byIndex = (options: readonly string[]) => ({
  decode: (text: string) => {
    const i = /^\d+$/.test(text.trim()) ? Number(text.trim()) : -1;
    return i >= 0 && i < options.length ? { value: options[i] } : { error: `must be 0..${options.length - 1}` };
  },
  encode: (value: Value | undefined) => String(Math.max(0, options.indexOf(String(value)))),
});

// Hour of day 0..23 ↔ "HH:00" (the form sends an hour; the key holds a time).
const hour = {
  decode: (text: string) => {
    const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : -1;
    return n >= 0 && n <= 23 ? { value: `${String(n).padStart(2, "0")}:00` } : { error: "must be an hour 0..23" };
  },
  encode: (value: Value | undefined) => String(Number(String(value ?? "00").slice(0, 2)) || 0),
};

const text = { decode: (t: string) => ({ value: t.trim() }), encode: (v: Value | undefined) => String(v ?? "") };
const number = { decode: integer, encode: (v: Value | undefined) => String(v ?? "") };

export const AUTO_PROVISION_FIELDS: readonly FieldRule[] = [
  { field: "ASU_METHOD", key: K.method, ...byIndex(PROVISIONING_METHODS) }, // 0 disabled, 1 DHCP, 2 static
  { field: "CFG_URL", key: K.configUrl, ...text },
  { field: "FW_URL", key: K.firmwareUrl, ...text },
  { field: "OPTVAL", key: K.optionValue, ...number },
  { field: "ASU_PERIOD", key: K.periodType, ...byIndex(PERIOD_TYPES) }, // 3 = power-up only
  { field: "ASU_HOURS", key: K.hoursInterval, ...number },
  { field: "ASU_EDTIME", key: K.dailyTime, ...hour },
  { field: "ASU_EDWDAY", key: K.weeklyDay, ...byIndex(WEEKDAYS) },
  { field: "ASU_EDWTIME", key: K.weeklyTime, ...hour },
  { field: "ASU_RANDOM", key: K.random, ...number },
];

/** Sent by configurators and accepted, but without a stored effect in the emulator. */
export const IGNORED_FIELDS = ["NOW_FW", "FW_DYN", "CFG_DYN"] as const;
/** `NOW_CFG=1`: fetch the configuration file now. */
export const NOW_CFG = "NOW_CFG";

export type FormDecision =
  | { ok: true; change: Record<string, Value>; fetchNow: boolean }
  | { ok: false; errors: Record<string, string> };

/** Form fields → a partial change of provisioning keys. Fields not sent keep their stored value. */
export function decodeAutoProvision(form: Record<string, string>): FormDecision {
  const change: Record<string, Value> = {};
  const errors: Record<string, string> = {};
  for (const rule of AUTO_PROVISION_FIELDS) {
    const sent = form[rule.field];
    if (sent === undefined) continue;
    const decoded = rule.decode(sent);
    if ("error" in decoded) errors[rule.field] = decoded.error;
    else change[rule.key] = decoded.value;
  }
  const now = form[NOW_CFG];
  if (now !== undefined && now !== "0" && now !== "1") errors[NOW_CFG] = "must be 0 or 1";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, change, fetchNow: now === "1" };
}

/** Stored values → form field texts, for the form page. */
export function encodeAutoProvision(values: ConfigValues): Record<string, string> {
  return Object.fromEntries(AUTO_PROVISION_FIELDS.map((rule) => [rule.field, rule.encode(values[rule.key])]));
}

/** The form field a provisioning key is edited through (to name fields in validation errors). */
export function fieldOfKey(key: string): string {
  return AUTO_PROVISION_FIELDS.find((rule) => rule.key === key)?.field ?? key;
}
