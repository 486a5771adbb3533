// What kind of phone sits at each index: which HTTP interface it serves, which key tree it speaks and whether
// it pulls its config from the provisioning URL. Pure; `--mix api:10,web:5,provisioning:5` is parsed here.
import type { DeviceApiKind } from "./device";
import { KEY_PROFILES, isKeyProfile, type KeyProfileName } from "../profiles/index";

export const PHONE_ROLES = ["api", "web", "provisioning"] as const;
export type PhoneRole = (typeof PHONE_ROLES)[number];

export interface PhoneKind {
  api: DeviceApiKind;
  keyProfile: KeyProfileName;
  /** Fetches URL/<mac>.cfg (at boot, periodically, on check-sync). */
  provisioning: boolean;
}

export interface PhoneGroup extends PhoneKind {
  count: number;
}

export interface KindDefaults {
  api: DeviceApiKind;
  keyProfile: KeyProfileName;
  /** Without a mix, every phone provisions when a provisioning URL is given. */
  provisioning: boolean;
}

/** Kind of phone `index`: from the mix's groups in order; past them (phones added later) the defaults. */
export function phoneKind(index: number, mix: readonly PhoneGroup[] | undefined, defaults: KindDefaults): PhoneKind {
  let start = 0;
  for (const group of mix ?? []) {
    if (index < start + group.count) return { api: group.api, keyProfile: group.keyProfile, provisioning: group.provisioning };
    start += group.count;
  }
  return { ...defaults };
}

/**
 * `role[@profile]:count,…`, e.g. `api:10,web@audiocodes-hd:5,provisioning:5`. Roles: `api` (JSON device API),
 * `web` (web interface), `provisioning` (JSON API + pulls its file). Profile defaults to `defaultProfile`.
 */
export function parseMix(text: string, defaultProfile: KeyProfileName): PhoneGroup[] {
  const groups: PhoneGroup[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z]+)(?:@([a-z0-9-]+))?:(\d+)$/.exec(part);
    if (!match) throw new Error(`--mix: "${part}" is not role[@profile]:count (e.g. web@audiocodes-hd:5)`);
    const [, role, profile, count] = match;
    if (!(PHONE_ROLES as readonly string[]).includes(role))
      throw new Error(`--mix: role "${role}" must be one of ${PHONE_ROLES.join(", ")}`);
    if (profile !== undefined && !isKeyProfile(profile))
      throw new Error(`--mix: key profile "${profile}" must be one of ${KEY_PROFILES.join(", ")}`);
    const api: DeviceApiKind = role === "web" ? "web" : "json";
    groups.push({ count: Number(count), api, keyProfile: profile ?? defaultProfile, provisioning: role === "provisioning" });
  }
  if (groups.length === 0) throw new Error("--mix is empty");
  return groups;
}

export const mixTotal = (mix: readonly PhoneGroup[]): number => mix.reduce((n, g) => n + g.count, 0);
