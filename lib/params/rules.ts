// The one validation rule per parameter. The REST API (JSON values) and the form (strings/checkboxes) differ
// only in how a raw input becomes a device value (`parseInput`); every range/length/syntax check after that
// (`checkValue`) is shared, so the browser and the server cannot disagree.
import type { ParamDef, ParamValue } from "./catalog";

/** "api": device representation in JSON (numbers, 0/1). "form": text inputs, checkboxes, selects. */
export type InputMode = "api" | "form";
export type RuleResult = { ok: true; value: ParamValue } | { ok: false; message: string };

const UNIT_WORDS: Record<string, string> = { s: "seconds", ms: "milliseconds" };
// Whole numbers only: no sign tricks, blanks, decimals, exponents or hex ("60.5", "1e3", " 60", "0x10").
const WHOLE_NUMBER = /^-?\d+$/;
const IPV4_LIKE = /^[\d.]+$/;
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
// Values travel to the device as key=value lines; a line break would split them.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function rangeMessage(p: ParamDef): string {
  const unit = p.unit ? ` ${UNIT_WORDS[p.unit] ?? p.unit}` : "";
  return `Must be between ${p.min} and ${p.max}${unit}`;
}

function enumMessage(p: ParamDef): string {
  return `Must be one of: ${(p.options ?? []).map((o) => String(o.value)).join(", ")}`;
}

function fail(message: string): RuleResult {
  return { ok: false, message };
}

function isMissing(raw: unknown): boolean {
  return raw === undefined || raw === null;
}

/** Raw input → device value. Only type/representation errors here. */
export function parseInput(p: ParamDef, raw: unknown, mode: InputMode): RuleResult {
  if (isMissing(raw)) return fail("Required");
  switch (p.type) {
    case "boolean":
      if (mode === "form" && typeof raw === "boolean") return { ok: true, value: raw ? 1 : 0 };
      if (raw === 0 || raw === 1) return { ok: true, value: raw };
      return fail(mode === "form" ? "Must be on or off" : "Must be 0 or 1");
    case "integer":
    case "port":
      if (mode === "api") {
        return typeof raw === "number" && Number.isInteger(raw) ? { ok: true, value: raw } : fail("Must be a whole number");
      }
      if (raw === "") return fail("Required");
      return typeof raw === "string" && WHOLE_NUMBER.test(raw) ? { ok: true, value: Number(raw) } : fail("Must be a whole number");
    case "enum": {
      // A <select> yields strings; the API must send the option value itself (number or string).
      const match = (p.options ?? []).find((o) => (mode === "form" ? String(o.value) === raw : o.value === raw));
      return match ? { ok: true, value: match.value } : fail(enumMessage(p));
    }
    case "string":
    case "password":
    case "ip_or_host":
      return typeof raw === "string" ? { ok: true, value: raw } : fail("Must be text");
  }
}

function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255 && (o === "0" || !o.startsWith("0")));
}

/** RFC 1123 host name; an all-numeric name is taken as an IPv4 attempt. */
function hostError(p: ParamDef, s: string): string | null {
  if (IPV4_LIKE.test(s)) {
    if (!isIpv4(s)) return "Not a valid IPv4 address";
    // 0.0.0.0 is the device's "not set" marker; accept it only where it is the factory value.
    if (s === "0.0.0.0" && p.default !== "0.0.0.0") return "0.0.0.0 is not a usable address here";
    return null;
  }
  return s.split(".").every((label) => HOST_LABEL.test(label)) ? null : "Must be an IPv4 address or host name";
}

/** Device value → error message or null. Shared by both input modes. */
export function checkValue(p: ParamDef, value: ParamValue): string | null {
  if (typeof value === "number") {
    if (p.min !== undefined && p.max !== undefined && (value < p.min || value > p.max)) return rangeMessage(p);
    return null;
  }
  if (p.type === "ip_or_host" && value === "") return "Required";
  if (p.maxLength !== undefined && value.length > p.maxLength) return `At most ${p.maxLength} characters`;
  if (CONTROL_CHARS.test(value)) return "Must not contain line breaks or control characters";
  if (p.type === "ip_or_host") return hostError(p, value);
  if (p.pattern && value !== "" && !p.pattern.regex.test(value)) return p.pattern.message;
  return null;
}

/** The per-parameter rule: parse the raw input for its mode, then apply the shared checks. */
export function checkParam(p: ParamDef, raw: unknown, mode: InputMode): RuleResult {
  const parsed = parseInput(p, raw, mode);
  if (!parsed.ok) return parsed;
  const message = checkValue(p, parsed.value);
  return message === null ? parsed : fail(message);
}
