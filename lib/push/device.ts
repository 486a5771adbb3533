// The driver for an inventory device (lib/device/drivers), with its stored (decrypted) credentials.
import { DEFAULT_TIMEOUT_MS } from "@/lib/device";
import { driverFor, type DeviceDriver } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";

/** Per-call deadline; DEVICE_TIMEOUT_MS lets an installation with slow links (or a test) change it. */
function timeoutMs(): number {
  const n = Number(process.env.DEVICE_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TIMEOUT_MS;
}

export async function deviceClientFor(deviceId: string): Promise<DeviceDriver> {
  return driverFor(await getDeviceCredentials(deviceId), { timeoutMs: timeoutMs() });
}
