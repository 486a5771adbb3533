// Where a phone fetches its file from (pure): its stored provisioning keys decide, as on the family's phones.
// STATIC → the stored configuration URL; DYNAMIC (factory) → the URL DHCP hands out, which the emulator's
// --provisioning-url stands in for; DISABLE → nowhere.
import type { ConfigValues } from "../sip/phone-contract";
import { PROVISIONING_KEY } from "../profiles/index";

export function provisioningBase(values: ConfigValues, dhcpUrl: string | null): string | null {
  const method = values[PROVISIONING_KEY.method] ?? "DYNAMIC";
  if (method === "DISABLE") return null;
  if (method === "STATIC") {
    const url = String(values[PROVISIONING_KEY.configUrl] ?? "").trim();
    return url === "" ? null : url;
  }
  return dhcpUrl;
}
