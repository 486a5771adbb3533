// The reference JSON is the test oracle: expectations are computed from it, never from the catalog.
import raw from "@/reference/mt505-sip-parameters.json";

export interface RefParam {
  key: string;
  label: string;
  section: string;
  type: string;
  min?: number;
  max?: number;
  maxLength?: number;
  default: string | number;
  options?: { value: string | number; label: string }[];
  unit?: string;
  appliesWhen?: { key: string; equals: string | number };
  readOnly?: boolean;
  notes?: string;
}

export const REFERENCE = raw as RefParam[];
export const REF_BY_KEY = new Map(REFERENCE.map((p) => [p.key, p]));
export const REF_EDITABLE = REFERENCE.filter((p) => !p.readOnly);

/** Reference defaults, with every address that defaults to "" filled in, so switching a feature on is valid. */
export function refBaseline(): Record<string, string | number> {
  return Object.fromEntries(
    REF_EDITABLE.map((p) => [p.key, p.type === "ip_or_host" && (p.default === "" || p.default === "0.0.0.0") ? "192.0.2.10" : p.default]),
  );
}

/** The controller value that turns `p` on, and one that turns it off (device representation). */
export function controllerValues(p: RefParam): { on: string | number; off: string | number } {
  const rule = p.appliesWhen!;
  const controller = REF_BY_KEY.get(rule.key)!;
  if (controller.type === "boolean") return { on: rule.equals, off: rule.equals === 1 ? 0 : 1 };
  const other = controller.options!.find((o) => o.value !== rule.equals)!;
  return { on: rule.equals, off: other.value };
}

/** Device value → what the form holds for it. */
export function refFormValue(p: RefParam, v: string | number): string | boolean {
  return p.type === "boolean" ? v === 1 : String(v);
}
