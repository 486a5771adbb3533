// The device HTTP config API (see emulator/API.md). One hono app serves every phone; the phone is the one
// whose loopback address the connection arrived on.
import { getRequestListener } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type http from "node:http";
import { parseCfg, toCfg } from "../config/cfg-format";
import { FIRMWARE, type ChangeResult, type Device } from "../fleet/device";
import { basicAuth, type DeviceAuth } from "./auth";
import { ifNoneMatchHits, parseIfMatch, revisionEtag } from "./conditional";
import { deviceContext, type DeviceEnv } from "./device-context";
import { jsonRequestKind } from "./request-kind";

type Env = DeviceEnv;

export const MAX_WAIT_S = 60;
/** Sent with every status answer of a phone that holds long-polls: the longest `wait` it accepts (capability). */
export const STATUS_WAIT_HEADER = "Status-Wait-Max";
const IF_MATCH_ERROR = 'If-Match must be * or a list of entity tags like "12" (RFC 9110)';

export interface DeviceApiOptions {
  /** Finds the phone that owns a local (listening) address. */
  lookup(localAddress: string): Device | undefined;
  auth?: DeviceAuth;
  /**
   * false: the phones answer GET /status at once whatever `wait` says and do not advertise the long-poll (older
   * firmware without it), so a client has to fall back to interval polling.
   */
  statusWait?: boolean;
}

export function createDeviceApp(options: DeviceApiOptions): Hono<Env> {
  const auth = options.auth ?? basicAuth;
  const statusWait = options.statusWait ?? true;
  const app = new Hono<Env>();

  app.use("*", deviceContext(options.lookup, jsonRequestKind, "application/json"));
  app.use("*", async (c, next) => {
    const device = c.get("device");
    const id = device.identity;
    if (device.fault.mode === "reject-auth" || !auth.verify(c.req.header("Authorization"), id)) {
      c.header("WWW-Authenticate", auth.challenge());
      return c.json({ error: "unauthorized" }, 401);
    }
    await next();
  });

  app.get("/api/v1/device", (c) => {
    const d = c.get("device");
    const { serial, mac, keyProfile } = d.identity;
    return c.json({ model: "Spider MT505", firmware: FIRMWARE, serial, mac, uptimeS: d.uptimeS, keyProfile });
  });

  app.get("/api/v1/config", (c) => configAnswer(c, 200));

  app.patch("/api/v1/config", async (c) => {
    const ifMatch = parseIfMatch(c.req.header("If-Match"));
    if (ifMatch === "invalid") return c.json({ error: IF_MATCH_ERROR }, 400);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "body is not valid JSON" }, 400);
    }
    const values = (body as { values?: unknown } | null)?.values;
    if (typeof values !== "object" || values === null || Array.isArray(values))
      return c.json({ error: 'body must be {"values": {key: value}}' }, 400);
    return changeAnswer(c, await c.get("device").change(values as Record<string, unknown>, { ifMatch }));
  });

  app.get("/api/v1/config.cfg", (c) => {
    const d = c.get("device");
    c.header("ETag", revisionEtag(d.revision));
    return c.text(toCfg(d.publicValues()));
  });

  app.put("/api/v1/config.cfg", async (c) => {
    const ifMatch = parseIfMatch(c.req.header("If-Match"));
    if (ifMatch === "invalid") return c.json({ error: IF_MATCH_ERROR }, 400);
    const parsed = parseCfg(await c.req.text(), c.get("device").profile.byKey);
    if (Object.keys(parsed.errors).length > 0) return c.json({ errors: parsed.errors }, 422);
    return changeAnswer(c, await c.get("device").change(parsed.values, { ifMatch, replace: true }));
  });

  app.get("/api/v1/status", async (c) => {
    const d = c.get("device");
    const waitText = c.req.query("wait");
    const waitS = waitText === undefined ? 0 : Number(waitText);
    if (!Number.isInteger(waitS) || waitS < 0 || waitS > MAX_WAIT_S)
      return c.json({ error: `wait must be an integer 0..${MAX_WAIT_S} (seconds)` }, 400);
    const since = c.req.query("since");
    if (since !== undefined && !/^"?[A-Za-z0-9_-]{1,64}"?$/.test(since))
      return c.json({ error: 'since must be an ETag this phone sent (e.g. "AbC12xyz")' }, 400);
    // The token to compare with: If-None-Match, else `since` (the ETag, quotes optional, for clients that cannot
    // set headers), else — for a long-poll — what the device has now.
    const token = c.req.header("If-None-Match") ?? (since === undefined ? undefined : since.startsWith('"') ? since : `"${since}"`);
    const basis = token ?? d.statusEtag();
    if (statusWait && waitS > 0 && d.statusEtag() === basis) {
      // A client that hangs up (aborted, killed) releases its long-poll at once, as a phone's server would.
      const socket = c.env.incoming.socket;
      await d.waitForStatusChange(basis, waitS * 1000, (release) => {
        socket.once("close", release);
        return () => socket.off("close", release);
      });
    }
    const etag = d.statusEtag();
    c.header("ETag", etag);
    c.header("Cache-Control", "no-cache");
    if (statusWait) c.header(STATUS_WAIT_HEADER, String(MAX_WAIT_S));
    if (token !== undefined && ifNoneMatchHits(token, etag)) return c.body(null, 304);
    return c.json(d.statusView());
  });

  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    console.error(`emulator: device API error: ${error.stack ?? String(error)}`);
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

export function deviceRequestListener(options: DeviceApiOptions): http.RequestListener {
  return getRequestListener(createDeviceApp(options).fetch) as unknown as http.RequestListener;
}

function configAnswer(c: Context<Env>, status: 200) {
  const d = c.get("device");
  c.header("ETag", revisionEtag(d.revision));
  return c.json({ revision: d.revision, values: d.publicValues() }, status);
}

function changeAnswer(c: Context<Env>, result: ChangeResult) {
  if (result.ok) return configAnswer(c, 200);
  if (result.kind === "stale") {
    c.header("ETag", revisionEtag(result.revision));
    return c.json({ error: "stale revision", revision: result.revision }, 412);
  }
  return c.json({ errors: result.errors }, 422);
}
