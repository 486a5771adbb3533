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
/** Write-only secrets: never returned in clear. */
export const SECRET_MASK = "********";
