// Values as people read them, for every place that shows a stored or device value outside the form: diffs,
// previews, job rows, audit details. One helper so "Use redundant proxy = 1" never shows up anywhere. Pure.
import { paramByKey, type ParamValue } from "./catalog";
import { displayValue } from "./describe";

/** The catalog label of a key; other keys (inventory fields in audit details …) read as written. */
export function paramLabel(key: string): string {
  return paramByKey(key)?.label ?? key;
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (Array.isArray(value)) return value.length ? value.map(plain).join(", ") : "(none)";
  if (typeof value === "object") return JSON.stringify(value);
  return value === "" ? "(empty)" : String(value);
}

/**
 * A value as it reads in the UI: an option's label, On/Off, a number with its unit ("5 s"), secrets as
 * "(set)"/"(not set)", "(empty)", "—" for nothing. Keys outside the catalog are shown as plain text.
 */
export function formatValue(key: string, value: unknown): string {
  const p = paramByKey(key);
  if (!p) return plain(value);
  if (p.secret) return value === null || value === undefined || value === "" ? "(not set)" : "(set)";
  if (value === null || value === undefined) return "—";
  if (typeof value !== "string" && typeof value !== "number") return plain(value);
  const text = displayValue(p, value as ParamValue);
  return p.unit && typeof value === "number" && p.type !== "boolean" && !p.options ? `${text} ${p.unit}` : text;
}

/** The raw form shown on demand: the device's key and its value as stored (JSON). */
export function rawValue(key: string, value: unknown): string {
  return `${key} = ${value === undefined ? "(absent)" : JSON.stringify(value)}`;
}
