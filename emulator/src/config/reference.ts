// The device's parameter reference (repo copy). The emulator validates against the reference itself, not the
// portal's catalog, so the two can check each other.
import reference from "../../../reference/mt505-sip-parameters.json";

export type ParamType = "enum" | "password" | "port" | "boolean" | "integer" | "ip_or_host" | "string";

export interface ParamSpec {
  key: string;
  label: string;
  section: string;
  type: ParamType;
  default: string | number;
  min?: number;
  max?: number;
  maxLength?: number;
  options?: { value: string | number; label: string }[];
  appliesWhen?: { key: string; equals: string | number };
  readOnly?: boolean;
  unit?: string;
}

export const PARAMS: readonly ParamSpec[] = reference as ParamSpec[];
export const PARAM_BY_KEY: ReadonlyMap<string, ParamSpec> = new Map(PARAMS.map((p) => [p.key, p]));

/** Keys the phone reports and the API rejects writes to. */
export const READ_ONLY_KEYS: ReadonlySet<string> = new Set(PARAMS.filter((p) => p.readOnly).map((p) => p.key));
export const IS_REDUNDANT_PROXY_KEY = "voip/signalling/sip/redundant/is_redundant_proxy";

/** Write-only secrets: never returned in clear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(PARAMS.filter((p) => p.type === "password").map((p) => p.key));
export const SECRET_MASK = "********";

/** Factory defaults for the writable keys (read-only keys are derived at read time, never stored). */
export function referenceDefaults(): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const p of PARAMS) if (!p.readOnly) values[p.key] = p.default;
  return values;
}
