// The driver for an inventory device (lib/device/drivers), with its stored (decrypted) credentials.
import { driverFor, type DeviceDriver } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";

export async function deviceClientFor(deviceId: string): Promise<DeviceDriver> {
  return driverFor(await getDeviceCredentials(deviceId));
}
