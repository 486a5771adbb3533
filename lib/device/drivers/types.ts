// The driver interface: one per device, chosen by its `driver` field. It is the DeviceClient interface lib/push,
// sync, drift, jobs and the poller already speak — readConfig = getConfig, apply = patchConfig (atomic where the
// interface allows: the JSON API's PATCH with If-Match, a whole provisioning file), readStatus = getStatus — plus
// what the driver can prove (kinds.ts CAPABILITIES), which the UI shows ("delivered" vs "verified by read-back").
import type { DeviceClient } from "../client";
import type { ModelId } from "@/lib/params/profiles";
import type { DriverCapabilities, DriverKind } from "../kinds";

export interface DeviceDriver extends DeviceClient {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;
  /** Whether the device's model has this canonical parameter (lib/params model profile); a push never sends others. */
  supports(key: string): boolean;
}

/** What it takes to talk to a device over HTTP; the driver's device (below) and the inventory's add to it. */
export interface DeviceCredentials {
  address: string;
  username: string;
  /** In clear (decrypted by the caller); null = none stored. */
  password: string | null;
  /** Which HTTP interface it serves: `web` → the web interface; anything else → the JSON API. */
  driver?: DriverKind;
  model?: ModelId | null;
}

/** What a driver needs to know about its device (decrypted credentials stay server-side). */
export interface DriverDevice extends DeviceCredentials {
  id: string;
  name: string;
  driver: DriverKind;
  /** The model profile: its key tree and spelling on the wire (web; provisioning files). */
  model?: ModelId | null;
  sipAddress: string | null;
}
