// Device-side validation: what a phone would accept, with device-like messages keyed by config key.
import type { ConfigValues } from "../sip/phone-contract";
import type { ParamSpec } from "./reference";

export type FieldErrors = Record<string, string>;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// RFC 1123 host name: labels of letters, digits and inner hyphens; not all-numeric (that would be a bad IPv4).
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isIpOrHost(value: string): boolean {
  if (IPV4.test(value)) return true;
  if (/^[\d.]+$/.test(value)) return false;
  return value.length <= 253 && value.split(".").every((label) => HOST_LABEL.test(label));
}

/** Whether a parameter applies under the given (merged) config; inapplicable ones are stored but not validated. */
export function isApplicable(spec: ParamSpec, config: ConfigValues): boolean {
  if (!spec.appliesWhen) return true;
  return config[spec.appliesWhen.key] === spec.appliesWhen.equals;
}

/** Checks one value against its spec; returns a message or null. */
export function checkValue(spec: ParamSpec, value: unknown): string | null {
  switch (spec.type) {
    case "integer":
    case "port": {
      if (typeof value !== "number" || !Number.isInteger(value)) return "must be an integer";
      if (spec.min !== undefined && spec.max !== undefined && (value < spec.min || value > spec.max))
        return `must be ${spec.min}..${spec.max}`;
      return null;
    }
    case "boolean":
      return value === 0 || value === 1 ? null : "must be 0 or 1";
    case "enum": {
      const options = spec.options ?? [];
      return options.some((o) => o.value === value)
        ? null
        : `must be one of ${options.map((o) => JSON.stringify(o.value)).join(", ")}`;
    }
    case "ip_or_host":
    case "string":
    case "password": {
      if (typeof value !== "string") return "must be a string";
      if (spec.maxLength !== undefined && value.length > spec.maxLength)
        return `must be at most ${spec.maxLength} characters`;
      if (spec.type === "ip_or_host" && !isIpOrHost(value)) return "must be an IPv4 address or host name";
      return null;
    }
  }
}

/**
 * Validates a change against the current config, with the phone's own parameter specs (its key profile). The
 * whole merged config is checked, because a change can make another key applicable (use_proxy=1 makes
 * proxy_address matter). Returns the merged config or errors.
 */
export function applyChange(
  current: ConfigValues,
  change: Record<string, unknown>,
  specs: ReadonlyMap<string, ParamSpec>,
): { ok: true; values: ConfigValues } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const merged: ConfigValues = { ...current };
  for (const [key, value] of Object.entries(change)) {
    const spec = specs.get(key);
    if (!spec) errors[key] = "unknown parameter";
    else if (spec.readOnly) errors[key] = "read-only";
    else if (typeof value !== "string" && typeof value !== "number") errors[key] = checkValue(spec, value) ?? "must be a string or number";
    else merged[key] = value;
  }
  for (const [key, value] of Object.entries(merged)) {
    const spec = specs.get(key);
    if (!spec || errors[key] || !isApplicable(spec, merged)) continue;
    const message = checkValue(spec, value);
    if (message) errors[key] = message;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values: merged };
}
