// The one place an HTTP device client is built for an inventory device: its credentials, its HTTP interface (the JSON
// API with Basic auth, or the web interface of a `web` device), and the per-call deadline from DEVICE_TIMEOUT_MS
// (push, sync, poll, bulk and restore all use the same setting). The poller reaches phones only through this.
import type { Dispatcher } from "undici";
import { env } from "@/lib/env";
import { basicAuth } from "./auth";
import { createDeviceClient } from "./client";
import type { DeviceCredentials, DeviceDriver } from "./drivers/types";
import { apiDriver } from "./drivers/api";
import { webDriver, type WebDriver } from "./drivers/web";

export type { DeviceCredentials };

export function connectDevice(c: DeviceCredentials, options: { timeoutMs?: number; dispatcher?: Dispatcher } = {}): DeviceDriver {
  const timeoutMs = options.timeoutMs ?? env().DEVICE_TIMEOUT_MS;
  if (c.driver === "web") return connectWebDevice(c, options);
  const client = createDeviceClient({
    address: c.address,
    auth: basicAuth(c.username, c.password ?? ""),
    timeoutMs,
    dispatcher: options.dispatcher,
  });
  return apiDriver(client, c.model);
}

/** The device's web interface (driver `web`), with what only it offers: the whole file and the provisioning form. */
export function connectWebDevice(c: DeviceCredentials, options: { timeoutMs?: number; dispatcher?: Dispatcher } = {}): WebDriver {
  return webDriver({ ...c, model: c.model ?? null, timeoutMs: options.timeoutMs ?? env().DEVICE_TIMEOUT_MS, dispatcher: options.dispatcher });
}
