// Human-readable bits of a parameter for the UI (default, unit, applicability note). Pure.
import { paramByKey, type ParamDef, type ParamValue } from "./catalog";

const UNIT_LABELS: Record<string, string> = { s: "seconds", ms: "milliseconds" };

export function unitLabel(p: ParamDef): string | undefined {
  return p.unit ? UNIT_LABELS[p.unit] ?? p.unit : undefined;
}

/** How a device value reads in the UI: on/off, an option's label, "(empty)". */
export function displayValue(p: ParamDef, value: ParamValue | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (p.type === "boolean") return value === 1 ? "On" : "Off";
  if (p.options) return p.options.find((o) => o.value === value)?.label ?? String(value);
  return value === "" ? "(empty)" : String(value);
}

/** "Default: 5060" (secrets have none worth showing). */
export function defaultText(p: ParamDef): string | undefined {
  if (p.secret) return undefined;
  const unit = p.unit && p.type !== "boolean" && p.default !== "" ? ` ${p.unit}` : "";
  return `Default: ${displayValue(p, p.default)}${unit}`;
}

/** "Applies only when Use redundant proxy is on" / "… when SIP transport is TLS". */
export function applicabilityNote(p: ParamDef): string | undefined {
  if (!p.appliesWhen) return undefined;
  const controller = paramByKey(p.appliesWhen.key);
  if (!controller) return undefined;
  const expected =
    controller.type === "boolean"
      ? p.appliesWhen.equals === 1
        ? "on"
        : "off"
      : displayValue(controller, p.appliesWhen.equals);
  return `Applies only when ${controller.label} is ${expected}`;
}

export function rangeText(p: ParamDef): string | undefined {
  if (p.min !== undefined && p.max !== undefined) return `${p.min}–${p.max}${p.unit ? ` ${p.unit}` : ""}`;
  if (p.maxLength !== undefined) return `Up to ${p.maxLength} characters`;
  return undefined;
}
