// Builds a key profile (the tree a phone stores and speaks) from the reference plus a model's data:
// renamed keys, value spellings, retyped values, keys it lacks, and the family's provisioning keys.
import { PARAMS, type ParamSpec } from "../config/reference";
import type { ConfigValues } from "../sip/phone-contract";
import { PROVISIONING_PARAMS } from "./provisioning-keys";

type Value = string | number;

export interface ProfileData {
  name: string;
  /** First three MAC bytes of such phones (hex, lower case). */
  macPrefix: string;
  /** reference key → own key */
  rename: Record<string, string>;
  /** reference key → {reference value → own spelling} */
  spell: Record<string, Record<string, string>>;
  /** reference key → own type and converters (e.g. hex text ↔ decimal number) */
  numeric: Record<string, { spec: Partial<ParamSpec>; toOwn(v: Value): Value; toCanonical(v: Value): Value }>;
  /** reference keys the model does not have */
  lacks: string[];
  /** true: provisioning keys are stored only once set (the reference tree has none of them). */
  provisioningKeysOptional: boolean;
}

export interface ParamSpecInProfile extends ParamSpec {
  /** Not part of the factory config: present only once set. */
  optional?: boolean;
}

export interface KeyProfile {
  readonly name: string;
  readonly macPrefix: string;
  readonly params: readonly ParamSpecInProfile[];
  readonly byKey: ReadonlyMap<string, ParamSpecInProfile>;
  readonly secretKeys: ReadonlySet<string>;
  readonly readOnlyKeys: ReadonlySet<string>;
  readonly provisioningKeys: ReadonlySet<string>;
  /** Own key of the read-only "registered to the redundant proxy" flag, or null when the model lacks it. */
  readonly redundantFlagKey: string | null;
  /** Factory config (writable, non-optional keys). */
  defaults(): ConfigValues;
  /** Own key → reference key (unknown keys unchanged). */
  canonicalKey(own: string): string;
  ownKey(canonical: string): string | null;
  /** Own values → reference tree, for the SIP user agent. Keys without a reference counterpart are dropped. */
  toCanonical(values: ConfigValues): ConfigValues;
  /** Reference-tree values → own tree; keys the model lacks are dropped. */
  fromCanonical(values: Record<string, Value>): Record<string, Value>;
}

const REDUNDANT_FLAG = "voip/signalling/sip/redundant/is_redundant_proxy";

export function buildProfile(data: ProfileData): KeyProfile {
  const lacks = new Set(data.lacks);
  const back = new Map<string, string>(Object.entries(data.rename).map(([canonical, own]) => [own, canonical]));
  const ownKey = (canonical: string) => (lacks.has(canonical) ? null : (data.rename[canonical] ?? canonical));
  const canonicalKey = (own: string) => back.get(own) ?? own;
  const valueToOwn = (canonical: string, value: Value): Value => {
    const numeric = data.numeric[canonical];
    if (numeric) return numeric.toOwn(value);
    return data.spell[canonical]?.[String(value)] ?? value;
  };
  const valueToCanonical = (canonical: string, value: Value): Value => {
    const numeric = data.numeric[canonical];
    if (numeric) return typeof value === "number" ? numeric.toCanonical(value) : value;
    const spelling = data.spell[canonical];
    if (!spelling) return value;
    return Object.entries(spelling).find(([, own]) => own === value)?.[0] ?? value;
  };

  const params: ParamSpecInProfile[] = [];
  for (const p of PARAMS) {
    const key = ownKey(p.key);
    if (!key) continue;
    const spec: ParamSpecInProfile = { ...p, key, default: valueToOwn(p.key, p.default), ...data.numeric[p.key]?.spec };
    if (p.options) spec.options = p.options.map((o) => ({ ...o, value: valueToOwn(p.key, o.value) }));
    if (p.appliesWhen) {
      const when = ownKey(p.appliesWhen.key);
      spec.appliesWhen = when ? { key: when, equals: valueToOwn(p.appliesWhen.key, p.appliesWhen.equals) } : undefined;
      if (!when) delete spec.appliesWhen;
    }
    if (data.numeric[p.key]) delete spec.maxLength;
    params.push(spec);
  }
  for (const p of PROVISIONING_PARAMS) params.push({ ...p, optional: data.provisioningKeysOptional });

  const byKey = new Map(params.map((p) => [p.key, p]));
  const provisioningKeys = new Set(PROVISIONING_PARAMS.map((p) => p.key));
  return {
    name: data.name,
    macPrefix: data.macPrefix,
    params,
    byKey,
    secretKeys: new Set(params.filter((p) => p.type === "password").map((p) => p.key)),
    readOnlyKeys: new Set(params.filter((p) => p.readOnly).map((p) => p.key)),
    provisioningKeys,
    redundantFlagKey: ownKey(REDUNDANT_FLAG),
    defaults() {
      const values: ConfigValues = {};
      for (const p of params) if (!p.readOnly && !p.optional) values[p.key] = p.default;
      return values;
    },
    canonicalKey,
    ownKey,
    toCanonical(values) {
      const out: ConfigValues = {};
      for (const [key, value] of Object.entries(values)) {
        if (provisioningKeys.has(key)) continue;
        const canonical = canonicalKey(key);
        out[canonical] = valueToCanonical(canonical, value);
      }
      return out;
    },
    fromCanonical(values) {
      const out: Record<string, Value> = {};
      for (const [canonical, value] of Object.entries(values)) {
        const key = ownKey(canonical);
        if (key) out[key] = valueToOwn(canonical, value);
      }
      return out;
    },
  };
}
