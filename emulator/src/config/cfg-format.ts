// The device's text config format: `key=value` lines, sorted; `#`/`;` comments and blank lines allowed on import.
import type { ConfigValues } from "../sip/phone-contract";
import type { ParamSpec } from "./reference";
import type { FieldErrors } from "./validate";

export function toCfg(values: ConfigValues): string {
  return Object.keys(values)
    .sort()
    .map((key) => `${key}=${values[key]}`)
    .join("\n")
    .concat("\n");
}

/**
 * Parses a cfg file into typed values: numeric parameter types become numbers so the JSON and text forms
 * validate the same way. Syntax errors are reported per line (key `line N`).
 */
export function parseCfg(
  text: string,
  specs: ReadonlyMap<string, ParamSpec>,
): { values: Record<string, unknown>; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) {
      errors[`line ${index + 1}`] = "expected key=value";
      return;
    }
    const key = line.slice(0, eq).trim();
    const text = raw.slice(raw.indexOf("=") + 1);
    if (key in values) errors[key] = `duplicate key (line ${index + 1})`;
    values[key] = typed(specs.get(key), text.trim());
  });
  return { values, errors };
}

function typed(spec: ParamSpec | undefined, text: string): string | number {
  if (!spec) return text;
  const numeric =
    spec.type === "integer" || spec.type === "port" || spec.type === "boolean" ||
    (spec.type === "enum" && spec.options?.some((o) => typeof o.value === "number"));
  // Keep the text when it is not a clean integer so validation can name the problem.
  return numeric && /^-?\d+$/.test(text) ? Number(text) : text;
}
