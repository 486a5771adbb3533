// The one validation rule per parameter. The REST API (JSON values) and the form (strings/checkboxes) differ
// only in how a raw input becomes a device value (`parseInput`); every range/length/syntax check after that
// (`checkValue`) is shared, so the browser and the server cannot disagree.
import type { ParamDef, ParamValue } from "./catalog";
import { hostError } from "./host";

/** "api": device representation in JSON (numbers, 0/1). "form": text inputs, checkboxes, selects. */
export type InputMode = "api" | "form";
export type RuleResult = { ok: true; value: ParamValue } | { ok: false; message: string };

const UNIT_WORDS: Record<string, string> = { s: "seconds", ms: "milliseconds" };
// Whole numbers only: no sign tricks, blanks, decimals, exponents or hex ("60.5", "1e3", " 60", "0x10").
const WHOLE_NUMBER = /^-?\d+$/;
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
      if (typeof raw !== "string") return fail("Must be a whole number");
      if (raw.trim() === "") return fail("Required");
      return WHOLE_NUMBER.test(raw.trim()) ? { ok: true, value: Number(raw.trim()) } : fail("Must be a whole number");
    case "enum": {
      // A <select> yields strings; the API must send the option value itself (number or string).
      const match = (p.options ?? []).find((o) => (mode === "form" ? String(o.value) === raw : o.value === raw));
      return match ? { ok: true, value: match.value } : fail(enumMessage(p));
    }
    case "password":
      return typeof raw === "string" ? { ok: true, value: raw } : fail("Must be text");
    case "string":
    case "ip_or_host":
      if (typeof raw !== "string") return fail("Must be text");
      // A typed value's surrounding blanks are never meant (copy-paste); the API stays strict and refuses them.
      return { ok: true, value: mode === "form" ? raw.trim() : raw };
  }
}

/** The "not set" spellings of an address the device uses while the parameter does not apply. */
const UNSET_ADDRESSES = new Set(["", "0.0.0.0"]);

/**
 * Device value → error message or null. Shared by both input modes. `applicable: false` (the parameter does not
 * apply now): the value is still checked for type, range, length and characters — it is stored and sent, and
 * takes effect when the parameter applies — but an address may stay unset ("" or 0.0.0.0).
 */
export function checkValue(p: ParamDef, value: ParamValue, applicable = true): string | null {
  if (typeof value === "number") {
    if (p.min !== undefined && p.max !== undefined && (value < p.min || value > p.max)) return rangeMessage(p);
    return null;
  }
  if (p.maxLength !== undefined && value.length > p.maxLength) return `At most ${p.maxLength} characters`;
  if (CONTROL_CHARS.test(value)) return "Must not contain line breaks or control characters";
  if (p.type === "ip_or_host") return !applicable && UNSET_ADDRESSES.has(value) ? null : hostError(value);
  if (p.pattern && value !== "" && !p.pattern.regex.test(value)) return p.pattern.message;
  return null;
}

/** The per-parameter rule: parse the raw input for its mode, then apply the shared checks. */
export function checkParam(p: ParamDef, raw: unknown, mode: InputMode, applicable = true): RuleResult {
  const parsed = parseInput(p, raw, mode);
  if (!parsed.ok) return parsed;
  const message = checkValue(p, parsed.value, applicable);
  return message === null ? parsed : fail(message);
}
