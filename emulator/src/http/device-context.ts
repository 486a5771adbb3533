// Shared front of both HTTP interfaces (JSON API, web interface): find the phone the connection arrived on,
// count the request, and play its injected fault. Authentication is each interface's own business.
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import type { Device } from "../fleet/device";
import type { RequestKind } from "./request-kind";

export type DeviceEnv = { Bindings: HttpBindings; Variables: { device: Device } };

export function deviceContext(
  lookup: (localAddress: string) => Device | undefined,
  kind: (method: string, path: string) => RequestKind,
  garbageType: string,
): MiddlewareHandler<DeviceEnv> {
  return async (c, next) => {
    const local = c.env.incoming.socket.localAddress ?? "";
    const device = lookup(local.replace(/^::ffff:/, ""));
    if (!device) return c.text(`no device on ${local}`, 404);
    c.set("device", device);
    device.countRequest(kind(c.req.method, c.req.path));
    const fault = device.fault;
    if (fault.mode === "slow") await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.mode === "http500") return c.json({ error: "internal error" }, 500);
    if (fault.mode === "garbage") return c.body("\u0000<html>garbage{{", 200, { "Content-Type": garbageType });
    await next();
  };
}
