// The portal's config.cfg format (backup/restore): `key=value` lines, sorted by key, `#`/`;` comments and blank
// lines allowed. Pure (catalog only): the server renders and parses it; the browser may too.
// Values are typed from the catalog so a parsed file validates exactly like a JSON patch (validatePatch).
import { paramByKey, type ConfigValues, type ParamDef } from "@/lib/params";
import { SECRET_MASK } from "@/lib/params/schema";

/** How a secret appears in a file: the value itself is never written (the device masks it the same way). */
export { SECRET_MASK };

export interface CfgRowError {
  /** 1-based line number in the file. */
  line: number;
  key?: string;
  message: string;
}

export interface ParsedCfg {
  /** Catalog keys → device representation (numbers for numeric types when the text is a whole number). */
  values: Record<string, string | number>;
  /** Line of each parsed key, so later validation errors can name the line. */
  lines: Record<string, number>;
  /** Syntax errors, unknown keys and duplicates; read-only and masked-secret lines are skipped, not errors. */
  errors: CfgRowError[];
}

const NUMERIC_TYPES = new Set(["integer", "port", "boolean"]);

function isNumeric(p: ParamDef): boolean {
  return NUMERIC_TYPES.has(p.type) || (p.type === "enum" && (p.options ?? []).some((o) => typeof o.value === "number"));
}

/** Text → device value. Text that is not a clean whole number stays text so validation can name the problem. */
function typed(p: ParamDef, text: string): string | number {
  return isNumeric(p) && /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Renders editable values as a config file; secrets are masked (set) or empty (not set), read-only keys left out. */
export function serializeCfg(values: Record<string, string | number | null | undefined>, header: string[] = []): string {
  const lines = header.map((h) => `# ${h.replace(/[\r\n]+/g, " ")}`);
  const keys = Object.keys(values)
    .filter((k) => {
      const p = paramByKey(k);
      return p && !p.readOnly && values[k] !== undefined;
    })
    .sort();
  for (const k of keys) {
    const p = paramByKey(k)!;
    const v = values[k];
    lines.push(`${k}=${p.secret ? (v === "" ? "" : SECRET_MASK) : (v ?? "")}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Parses a config file. Errors are per line: "expected key=value", unknown parameter, duplicate key. Read-only
 * status keys (a device's own backup may carry them) and secrets shown as the mask ("keep") are skipped.
 */
export function parseCfg(text: string): ParsedCfg {
  const values: ParsedCfg["values"] = {};
  const lines: ParsedCfg["lines"] = {};
  const errors: CfgRowError[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) {
      errors.push({ line, message: eq === 0 ? "Missing key before '='" : "Expected key=value" });
      return;
    }
    const key = trimmed.slice(0, eq).trim();
    const valueText = trimmed.slice(eq + 1).trim();
    const p = paramByKey(key);
    if (!p) {
      errors.push({ line, key, message: `Unknown parameter "${key}"` });
      return;
    }
    if (key in lines) {
      errors.push({ line, key, message: `Duplicate key (first on line ${lines[key]})` });
      return;
    }
    lines[key] = line;
    if (p.readOnly) return;
    if (p.secret && valueText === SECRET_MASK) return;
    values[key] = typed(p, valueText);
  });
  return { values, lines, errors };
}

/** Validation field errors ({key: message}) → row errors with the key's line (0 when the key is not in the file). */
export function fieldErrorsToRows(fields: Record<string, string>, lines: Record<string, number>): CfgRowError[] {
  return Object.entries(fields)
    .map(([key, message]) => ({ line: lines[key] ?? 0, key, message }))
    .sort((a, b) => a.line - b.line || a.key.localeCompare(b.key));
}

/** {key: {from, to}} for keys of `next` that differ from `current`; secrets never show their values. */
export function diffConfig(current: Record<string, unknown>, next: ConfigValues): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, to] of Object.entries(next)) {
    const secret = paramByKey(k)?.secret;
    if (!secret && current[k] === to) continue;
    out[k] = secret ? { from: null, to: SECRET_MASK } : { from: current[k] ?? null, to };
  }
  return out;
}
