// The driver interface: one per device, chosen by its `driver` field. It is the DeviceClient interface lib/push,
// sync, drift, jobs and the poller already speak — readConfig = getConfig, apply = patchConfig (atomic where the
// interface allows: the JSON API's PATCH with If-Match, a whole provisioning file), readStatus = getStatus — plus
// what the driver can prove (kinds.ts CAPABILITIES), which the UI shows ("delivered" vs "verified by read-back").
import type { DeviceClient } from "../client";
import type { DriverCapabilities, DriverKind } from "../kinds";

export interface DeviceDriver extends DeviceClient {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;
}

/** What a driver needs to know about its device (decrypted credentials stay server-side). */
export interface DriverDevice {
  id: string;
  name: string;
  address: string;
  username: string;
  password: string | null;
  driver: DriverKind;
  sipAddress: string | null;
}
