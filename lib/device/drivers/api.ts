// The api driver: the JSON device config API (emulator/API.md) spoken in the device's own key tree. A phone of
// another model serves its own keys and spellings there too (the emulator's `--key-profile audiocodes-hd` answers
// GET/PATCH /api/v1/config in the 310HD tree), so the driver maps through the model profile exactly like the web
// driver and the provisioning file: canonical keys in, the model's keys on the wire, canonical keys back — and a
// parameter the model lacks or a value it cannot spell is refused before the phone is contacted. For `mt505` (the
// reference tree) the mapping is the identity on catalog keys.
import { profileFor, type ModelId } from "@/lib/params/profiles";
import type { DeviceClient } from "../client";
import { DeviceError } from "../errors";
import { CAPABILITIES } from "../kinds";
import { rejectedError } from "../reply";
import { canonicalValues, ownValues, toCanonicalFields } from "./model-wire";
import type { DeviceDriver } from "./types";

export function apiDriver(client: DeviceClient, model: ModelId | null | undefined): DeviceDriver {
  const profile = profileFor(model);
  const address = client.address;
  return {
    ...client,
    kind: "api",
    capabilities: CAPABILITIES.api,
    supports: profile.supports,

    async getConfig() {
      const read = await client.getConfig();
      return { ...read, values: canonicalValues(profile, read.values) };
    },

    async patchConfig(values, options) {
      const own = ownValues(profile, values);
      if (!own.ok) throw rejectedError(address, own.fields, 422);
      try {
        const reply = await client.patchConfig(own.values, options);
        return { ...reply, values: canonicalValues(profile, reply.values) };
      } catch (e) {
        // The phone names the keys it refused in its own tree; the portal's fields are canonical.
        if (e instanceof DeviceError && e.code === "rejected" && e.fields) throw rejectedError(address, toCanonicalFields(profile, e.fields), e.status ?? 422);
        throw e;
      }
    },

    async putConfigCfg(text, options) {
      const reply = await client.putConfigCfg(text, options);
      return { ...reply, values: canonicalValues(profile, reply.values) };
    },
  };
}
