// A device client for an inventory device, with its stored (decrypted) credentials.
import { basicAuth, createDeviceClient, DEFAULT_TIMEOUT_MS, type DeviceClient } from "@/lib/device";
import { getDeviceCredentials } from "@/lib/inventory/devices";

/** Per-call deadline; DEVICE_TIMEOUT_MS lets an installation with slow links (or a test) change it. */
function timeoutMs(): number {
  const n = Number(process.env.DEVICE_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TIMEOUT_MS;
}

export async function deviceClientFor(deviceId: string): Promise<DeviceClient> {
  const c = await getDeviceCredentials(deviceId);
  return createDeviceClient({ address: c.address, auth: basicAuth(c.username, c.password ?? ""), timeoutMs: timeoutMs() });
}
