// The one place a device client is built for an inventory device: its credentials, Basic auth, and the
// per-call deadline from DEVICE_TIMEOUT_MS (push, sync, poll, bulk and restore all use the same setting).
import type { Dispatcher } from "undici";
import { env } from "@/lib/env";
import { basicAuth } from "./auth";
import { createDeviceClient, type DeviceClient } from "./client";

export interface DeviceCredentials {
  address: string;
  username: string;
  /** In clear (decrypted by the caller); null = none stored. */
  password: string | null;
}

export function connectDevice(c: DeviceCredentials, options: { timeoutMs?: number; dispatcher?: Dispatcher } = {}): DeviceClient {
  return createDeviceClient({
    address: c.address,
    auth: basicAuth(c.username, c.password ?? ""),
    timeoutMs: options.timeoutMs ?? env().DEVICE_TIMEOUT_MS,
    dispatcher: options.dispatcher,
  });
}
