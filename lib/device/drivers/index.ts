// A device's driver, by its `driver` field: `api` today's JSON API client, `web` the AudioCodes-family web interface
// (./web.ts), `provisioning` the pull driver (./provisioning.ts).
import "server-only";
import { connectDevice } from "../connect";
import { provisioningDriver } from "./provisioning";
import type { DeviceDriver, DriverDevice } from "./types";

export type { DeviceDriver, DriverDevice } from "./types";
export { sipTargetOf } from "./provisioning";

/** The device's driver; the per-call deadline defaults to DEVICE_TIMEOUT_MS (lib/device/connect). */
export function driverFor(device: DriverDevice, options: { timeoutMs?: number } = {}): DeviceDriver {
  switch (device.driver) {
    case "provisioning":
      return provisioningDriver(device);
    case "web":
    case "api":
      return connectDevice(device, options);
  }
}
