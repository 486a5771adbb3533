// The driver for an inventory device (lib/device/drivers), with its stored (decrypted) credentials. The one place
// lib/push (save, sync, background reads) and lib/jobs reach a phone.
import { driverFor, type DeviceDriver } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";

/** Resolves an inventory device to its driver (per-call deadline from DEVICE_TIMEOUT_MS). */
export type DriverFor = (deviceId: string) => Promise<DeviceDriver>;

export const deviceClientFor: DriverFor = async (deviceId) => driverFor(await getDeviceCredentials(deviceId));

