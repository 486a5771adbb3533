// The one place an HTTP device client is built for an inventory device: its credentials, its HTTP interface (the JSON
// API with Basic auth, or the web interface of a `web` device), and the per-call deadline from DEVICE_TIMEOUT_MS
// (push, sync, poll, bulk and restore all use the same setting). The poller reaches phones only through this.
import type { Dispatcher } from "undici";
import { env } from "@/lib/env";
import { basicAuth } from "./auth";
import { createDeviceClient } from "./client";
import type { DeviceCredentials, DeviceDriver } from "./drivers/types";
import { apiDriver } from "./drivers/api";
import { webDriver } from "./drivers/web";

export type { DeviceCredentials };

export function connectDevice(c: DeviceCredentials, options: { timeoutMs?: number; dispatcher?: Dispatcher } = {}): DeviceDriver {
  const timeoutMs = options.timeoutMs ?? env().DEVICE_TIMEOUT_MS;
  if (c.driver === "web") return webDriver({ ...c, model: c.model ?? null, timeoutMs, dispatcher: options.dispatcher });
  const client = createDeviceClient({
    address: c.address,
    auth: basicAuth(c.username, c.password ?? ""),
    timeoutMs,
    dispatcher: options.dispatcher,
  });
  return apiDriver(client, c.model);
}
