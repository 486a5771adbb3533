// Model profiles: canonical catalog values ⇄ one model's own key tree and spelling. Pure; used by the drivers
// (what goes on the wire), the provisioning file, the API (refusing what a model lacks) and the form.
import { paramByKey, type ParamValue } from "../catalog";
import { DEFAULT_MODEL, MODELS, PROFILE_DATA, type CodecName, type ModelId, type ModelProfileData } from "./data";

export { DEFAULT_MODEL, MODELS, PROFILE_DATA, type ModelId, type ModelProfileData } from "./data";

export type ModelValues = Record<string, string | number>;

export interface ModelProfile extends ModelProfileData {
  /** The model's key for a canonical key (undefined when the model lacks it). */
  modelKey(canonical: string): string | undefined;
  /** The canonical key for one of the model's keys (undefined when it is not a catalog parameter). */
  canonicalKey(modelKey: string): string | undefined;
  supports(canonical: string): boolean;
}

interface Codec {
  toModel(v: ParamValue): string | number | undefined;
  fromModel(v: string | number): ParamValue | undefined;
}

const CODECS: Record<CodecName, Codec> = {
  "hex-byte-as-decimal": {
    toModel: (v) => {
      const n = Number.parseInt(String(v).replace(/^0x/i, ""), 16);
      return Number.isInteger(n) && n >= 0 && n <= 255 ? n : undefined;
    },
    fromModel: (v) => {
      const n = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v) : NaN;
      return Number.isInteger(n) && n >= 0 && n <= 255 ? `0x${n.toString(16).padStart(2, "0")}` : undefined;
    },
  },
};

const cache = new Map<ModelId, ModelProfile>();

export function isModel(value: unknown): value is ModelId {
  return typeof value === "string" && (MODELS as readonly string[]).includes(value);
}

export function profileFor(model: ModelId | null | undefined): ModelProfile {
  const id = model ?? DEFAULT_MODEL;
  let profile = cache.get(id);
  if (!profile) {
    const data = PROFILE_DATA[id];
    const unsupported = new Set(data.unsupported);
    const reverse = new Map<string, string>();
    const canonicalOf = (key: string) => reverse.get(key) ?? (data.keys[key] === undefined && paramByKey(key) ? key : undefined);
    for (const [canonical, own] of Object.entries(data.keys)) reverse.set(own, canonical);
    profile = {
      ...data,
      supports: (canonical) => !unsupported.has(canonical) && paramByKey(canonical) !== undefined,
      modelKey: (canonical) => (unsupported.has(canonical) || !paramByKey(canonical) ? undefined : (data.keys[canonical] ?? canonical)),
      canonicalKey: (own) => {
        const canonical = canonicalOf(own);
        return canonical !== undefined && !unsupported.has(canonical) ? canonical : undefined;
      },
    };
    cache.set(id, profile);
  }
  return profile;
}

/** One canonical value in the model's spelling (undefined: the value cannot be expressed). */
export function toModelValue(profile: ModelProfile, canonical: string, value: ParamValue): string | number | undefined {
  const codec = profile.codecs[canonical];
  if (codec) return CODECS[codec].toModel(value);
  const spelled = profile.spellings[canonical]?.[String(value)];
  return spelled ?? value;
}

/** One model value back to the catalog's representation (numbers for numeric parameters). */
export function fromModelValue(profile: ModelProfile, canonical: string, value: string | number): ParamValue | undefined {
  const codec = profile.codecs[canonical];
  if (codec) return CODECS[codec].fromModel(value);
  const table = profile.spellings[canonical];
  if (table) {
    const hit = Object.entries(table).find(([, own]) => own.toLowerCase() === String(value).toLowerCase());
    if (hit) return paramByKey(canonical)?.options?.find((o) => String(o.value) === hit[0])?.value ?? hit[0];
  }
  const param = paramByKey(canonical);
  if (param && param.type !== "string" && param.type !== "password" && param.type !== "ip_or_host" && typeof value === "string") {
    const option = param.options?.find((o) => String(o.value) === value);
    if (option) return option.value;
    return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  }
  return value;
}

/** Canonical values → the model's tree. Keys the model lacks are left out (the caller refused them already). */
export function toModelValues(profile: ModelProfile, values: Record<string, ParamValue>): ModelValues {
  const out: ModelValues = {};
  for (const [canonical, value] of Object.entries(values)) {
    const own = profile.modelKey(canonical);
    const spelled = own === undefined ? undefined : toModelValue(profile, canonical, value);
    if (own !== undefined && spelled !== undefined) out[own] = spelled;
  }
  return out;
}

/** The model's tree → canonical values; `other` keeps what is not a catalog parameter (e.g. provisioning keys). */
export function fromModelValues(profile: ModelProfile, values: Record<string, string | number>): { values: Record<string, ParamValue>; other: ModelValues } {
  const out: Record<string, ParamValue> = {};
  const other: ModelValues = {};
  for (const [own, value] of Object.entries(values)) {
    const canonical = profile.canonicalKey(own);
    const converted = canonical === undefined ? undefined : fromModelValue(profile, canonical, value);
    if (canonical !== undefined && converted !== undefined) out[canonical] = converted;
    else other[own] = value;
  }
  return { values: out, other };
}

export const NOT_SUPPORTED = "Not supported by this model";

export function notSupportedMessage(profile: ModelProfile): string {
  return `${NOT_SUPPORTED} (${profile.label})`;
}

/** Field errors for every key of `patch` the model lacks (the API answers 422 with them; nothing is stored). */
export function unsupportedFields(profile: ModelProfile, patch: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of Object.keys(patch)) if (paramByKey(key) && !profile.supports(key)) fields[key] = notSupportedMessage(profile);
  return fields;
}
