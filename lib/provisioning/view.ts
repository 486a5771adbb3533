// What the device page and the settings page show of provisioning: read-only views over lib/provisioning.
import "server-only";
import { getDesiredConfig } from "@/lib/config-store";
import { getDevice } from "@/lib/inventory/devices";
import { maskSecrets } from "@/lib/params";
import type { DeviceProvisioning, ProvisioningOverview } from "./schemas";
import { provisioningSettings } from "./settings";
import { listFetches, listUnknownPhones } from "./store";
import { PROVISIONING_PATH } from "./url";

export async function deviceProvisioning(deviceId: string): Promise<DeviceProvisioning> {
  await getDevice(deviceId); // 404 for an unknown id
  const [fetches, desired] = await Promise.all([listFetches(deviceId), getDesiredConfig(deviceId)]);
  return { fetches, served: { revision: desired.revision, values: maskSecrets(desired.values) } };
}

export async function provisioningOverview(): Promise<ProvisioningOverview> {
  const s = provisioningSettings();
  return { path: PROVISIONING_PATH, username: s.shared.username, password: s.shared.password, generated: s.generated, allow: s.allowText, ratePerMin: s.ratePerMin, unknownPhones: await listUnknownPhones() };
}
