// The provisioning file: the phone's whole desired configuration in its model's key tree as `key=value` lines, plus
// the provisioning keys that keep it fetching from the portal. Pure. A value that could break the format (a line
// break or control character) is refused at input by the catalog (lib/params/rules.ts); rendering checks again and
// throws rather than emit an injected line. `=` inside a value is harmless: the phone splits at the first `=`.
import { createHash } from "node:crypto";
import { EDITABLE_PARAMS, profileFor, toModelValues, type ConfigValues, type ModelId } from "@/lib/params";

const UNSAFE = /[\u0000-\u001f\u007f]/;

export interface RenderInput {
  model: ModelId;
  /** Desired config over catalog defaults (secrets in clear: the phone needs its line password). */
  values: ConfigValues;
  revision: number;
  /** The URL the phone should keep fetching from (directory form: the phone appends <mac>.cfg). */
  configUrl: string;
}

export const PROVISIONING_KEYS = { method: "provisioning/method", configUrl: "provisioning/configuration/url" } as const;

export function renderProvisioningFile(input: RenderInput): { body: string; hash: string } {
  const profile = profileFor(input.model);
  const canonical: ConfigValues = {};
  for (const p of EDITABLE_PARAMS) if (profile.supports(p.key) && input.values[p.key] !== undefined) canonical[p.key] = input.values[p.key];
  const own = toModelValues(profile, canonical);
  own[PROVISIONING_KEYS.method] = "STATIC";
  own[PROVISIONING_KEYS.configUrl] = input.configUrl;
  const lines = [`# SIP Admin Portal provisioning file, model ${profile.id}, revision ${input.revision}`];
  for (const key of Object.keys(own).sort()) {
    const value = String(own[key]);
    if (UNSAFE.test(key) || key.includes("=") || UNSAFE.test(value)) throw new Error(`Refusing to render ${key}: a line break or control character would corrupt the file`);
    lines.push(`${key}=${value}`);
  }
  const body = lines.join("\n") + "\n";
  return { body, hash: createHash("sha256").update(body, "utf8").digest("hex") };
}
