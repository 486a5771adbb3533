// A change and a device's answers between the catalog's canonical keys and one model's own key tree and spelling
// (lib/params model profile). Shared by the drivers that talk to the phone directly (api, web); the provisioning
// file renders its own (lib/provisioning/render.ts).
import { fromModelValues, notSupportedMessage, toModelValue, type ModelProfile } from "@/lib/params/profiles";
import type { DeviceConfigValues } from "../replies";
import { UNSAFE_FILE_TEXT } from "../web-pages";

/** Canonical values → the model's keys and spelling, or per-field refusals (lacking key, inexpressible, unsafe). */
export function ownValues(
  profile: ModelProfile,
  values: DeviceConfigValues,
): { ok: true; values: Record<string, string | number> } | { ok: false; fields: Record<string, string> } {
  const out: Record<string, string | number> = {};
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const own = profile.modelKey(key);
    if (own === undefined) {
      fields[key] = notSupportedMessage(profile);
      continue;
    }
    const spelled = toModelValue(profile, key, value);
    if (spelled === undefined) fields[key] = `cannot be written in the ${profile.label}`;
    else if (UNSAFE_FILE_TEXT.test(String(spelled))) fields[key] = "must not contain line breaks or control characters";
    else out[own] = spelled;
  }
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, values: out };
}

/** The model's values → canonical ones; what is not a catalog parameter of this model is not reported as one. */
export function canonicalValues(profile: ModelProfile, own: Record<string, string | number>): DeviceConfigValues {
  return fromModelValues(profile, own).values;
}

/** The phone names its own keys; the portal's fields are canonical. `line N` and unknown names stay as they are. */
export function toCanonicalFields(profile: ModelProfile, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields)) out[profile.canonicalKey(key) ?? key] = message;
  return out;
}
