// The control surface: a separate JSON API (own port, 127.0.0.1 by default) through which tests and the demo
// add/remove phones and inject faults. Never part of the device API.
import { createAdaptorServer } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FAULT_MODES, type Device, type FaultMode } from "../fleet/device";
import { DEFAULT_REBOOT_MS, type Fleet } from "../fleet/fleet";

/** A demo registrar the control surface can stop and start (a proxy outage). */
export interface ProxyControl {
  readonly address: string;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type Proxies = Partial<Record<"primary" | "redundant", ProxyControl>>;

export const DEFAULT_SLOW_MS = 2000;

function summary(d: Device) {
  const status = d.status();
  return {
    ip: d.ip,
    address: d.address,
    name: d.identity.name,
    sipUser: d.identity.sipUser,
    mac: d.identity.mac,
    keyProfile: d.identity.keyProfile,
    api: d.identity.api,
    revision: d.revision,
    fault: d.fault,
    listening: d.listening,
    uptimeS: d.uptimeS,
    requests: { ...d.requests },
    statusWaiters: d.statusWaiters,
    sip: { state: status.state, proxy: status.proxy, registrar: status.registrar, lastError: status.lastError },
  };
}

async function jsonBody(c: Context): Promise<Record<string, unknown> | null> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function createControlApp(fleet: Fleet, proxies: Proxies = {}): Hono {
  const app = new Hono();
  const bad = (c: Context, message: string) => c.json({ error: message }, 400);

  app.get("/health", (c) =>
    c.json({
      ok: true,
      devices: fleet.devices.length,
      listening: fleet.devices.filter((d) => d.listening).length,
      registered: fleet.devices.filter((d) => d.status().state === "registered").length,
      proxies: Object.fromEntries(Object.entries(proxies).map(([role, p]) => [role, { address: p.address, running: p.running }])),
    }),
  );

  app.get("/devices", (c) => c.json(fleet.devices.map(summary)));

  app.post("/devices", async (c) => {
    const body = await jsonBody(c);
    if (!body) return bad(c, "body must be a JSON object");
    if (body.ip !== undefined && typeof body.ip !== "string") return bad(c, "ip must be a string");
    try {
      return c.json(summary(await fleet.add(body.ip as string | undefined)), 201);
    } catch (error) {
      return c.json({ error: (error as Error).message }, 409);
    }
  });

  app.delete("/devices/:ip", async (c) =>
    (await fleet.remove(c.req.param("ip"))) ? c.body(null, 204) : c.json({ error: `no device ${c.req.param("ip")}` }, 404),
  );

  // Per-device routes share the lookup.
  const withDevice = (handler: (c: Context, d: Device, body: Record<string, unknown>) => Promise<Response> | Response) =>
    async (c: Context) => {
      const device = fleet.get(c.req.param("ip") ?? "");
      if (!device) return c.json({ error: `no device ${c.req.param("ip")}` }, 404);
      const body = await jsonBody(c);
      if (!body) return bad(c, "body must be a JSON object");
      return handler(c, device, body);
    };

  app.get("/devices/:ip", withDevice((c, d) => c.json(summary(d))));

  // The phone's stored config in its own key tree, secrets in clear (this surface is for tests, on loopback).
  app.get("/devices/:ip/config", withDevice((c, d) => c.json({ revision: d.revision, values: d.rawValues() })));

  app.get("/devices/:ip/fetches", withDevice((c, d) => c.json(d.fetches())));

  app.post(
    "/devices/:ip/fault",
    withDevice(async (c, d, body) => {
      const mode = body.mode as FaultMode;
      if (!FAULT_MODES.includes(mode)) return bad(c, `mode must be one of ${FAULT_MODES.join(", ")}`);
      const delayMs = body.delayMs ?? DEFAULT_SLOW_MS;
      if (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000)
        return bad(c, "delayMs must be an integer 0..600000");
      await d.setFault({ mode, delayMs: mode === "slow" ? delayMs : 0 });
      return c.json(summary(d));
    }),
  );

  app.post(
    "/devices/:ip/reboot",
    withDevice(async (c, d, body) => {
      const downMs = body.downMs ?? fleet.options.rebootMs ?? DEFAULT_REBOOT_MS;
      if (typeof downMs !== "number" || downMs < 0 || downMs > 600_000) return bad(c, "downMs must be 0..600000");
      await d.reboot(downMs);
      return c.json(summary(d), 202);
    }),
  );

  app.post(
    "/devices/:ip/partition",
    withDevice((c, d, body) => {
      if (body.role !== "primary" && body.role !== "redundant") return bad(c, 'role must be "primary" or "redundant"');
      if (typeof body.cut !== "boolean") return bad(c, "cut must be true or false");
      d.setPartition(body.role, body.cut);
      return c.json(summary(d));
    }),
  );

  app.post(
    "/devices/:ip/config",
    withDevice(async (c, d, body) => {
      const values = body.values;
      if (typeof values !== "object" || values === null || Array.isArray(values))
        return bad(c, 'body must be {"values": {key: value}}');
      const result = await d.change(values as Record<string, unknown>);
      if (!result.ok) return c.json(result.kind === "invalid" ? { errors: result.errors } : { error: "stale" }, 422);
      return c.json({ revision: d.revision, values: d.publicValues() });
    }),
  );

  app.post("/proxies/:role/:action", async (c) => {
    const role = c.req.param("role");
    const action = c.req.param("action");
    if (role !== "primary" && role !== "redundant") return bad(c, 'role must be "primary" or "redundant"');
    if (action !== "stop" && action !== "start") return bad(c, 'action must be "stop" or "start"');
    const proxy = proxies[role];
    if (!proxy) return c.json({ error: `no demo registrar runs as ${role} (start the emulator with --start-proxies)` }, 404);
    await (action === "stop" ? proxy.stop() : proxy.start());
    return c.json({ role, address: proxy.address, running: proxy.running });
  });

  app.notFound((c) => c.json({ error: `no such control: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => c.json({ error: error.message }, 500));
  return app;
}

export async function startControlServer(
  fleet: Fleet,
  proxies: Proxies,
  host: string,
  port: number,
): Promise<{ address: string; close(): Promise<void> }> {
  const server = createAdaptorServer({ fetch: createControlApp(fleet, proxies).fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const info = server.address() as AddressInfo;
  return {
    address: `${info.address}:${info.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
