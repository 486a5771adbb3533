// A device's driver, by its `driver` field. `api` is today's JSON API client; `provisioning` the pull driver.
// `web` (the AudioCodes-family web interface) is not built yet: such a device is refused with a clear message.
import "server-only";
import { connectDevice } from "../connect";
import { DeviceError } from "../errors";
import { CAPABILITIES } from "../kinds";
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
      throw new DeviceError("device_error", device.address, `${device.name} uses the web driver, which this portal version cannot drive yet`);
    case "api":
      return {
        ...connectDevice(device, options),
        kind: "api",
        capabilities: CAPABILITIES.api,
      };
  }
}
