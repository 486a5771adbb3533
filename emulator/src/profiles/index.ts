// The key profiles a phone can speak: `mt505` (the reference's tree) and `audiocodes-hd` (the 310HD tree).
import { AUDIOCODES_HD } from "./audiocodes-hd";
import { buildProfile, type KeyProfile } from "./build";

export type { KeyProfile, ParamSpecInProfile } from "./build";
export { PERIOD_TYPES, PROVISIONING_KEY, PROVISIONING_METHODS, WEEKDAYS, type ProvisioningMethod } from "./provisioning-keys";

export const KEY_PROFILES = ["mt505", "audiocodes-hd"] as const;
export type KeyProfileName = (typeof KEY_PROFILES)[number];

export const PROFILES: Record<KeyProfileName, KeyProfile> = {
  // The reference tree as it is; provisioning keys exist once set (so today's JSON API answers stay the same).
  mt505: buildProfile({ name: "mt505", macPrefix: "001f9c", rename: {}, spell: {}, numeric: {}, lacks: [], provisioningKeysOptional: true }),
  "audiocodes-hd": buildProfile(AUDIOCODES_HD),
};

export const isKeyProfile = (name: string): name is KeyProfileName => (KEY_PROFILES as readonly string[]).includes(name);
