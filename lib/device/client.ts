// Client for one phone's HTTP config API (emulator/API.md). Each call has an overall deadline (AbortSignal)
// on top of the pool's socket timeouts, and every outcome is either a validated value or a DeviceError.
import type { Dispatcher } from "undici";
import { request } from "undici";
import type { AuthRequest, DeviceAuth } from "./auth";
import { sharedDeviceDispatcher } from "./dispatcher";
import { DeviceError, classifyTransportError } from "./errors";
import {
  configReplySchema,
  deviceInfoSchema,
  deviceStatusSchema,
  type DeviceConfigReply,
  type DeviceConfigValues,
  type DeviceInfo,
  type DeviceStatus,
} from "./replies";
import { failureFor, header, parseReply, type RawReply, type ReplyContext } from "./reply";

export const DEFAULT_TIMEOUT_MS = 5_000;
/** Config replies are a few KiB; anything far larger is not a phone talking. */
const MAX_REPLY_BYTES = 1 << 20;
const API = "/api/v1";

export interface DeviceClientOptions {
  /** "host:port" of the phone's HTTP API, e.g. "127.30.0.7:8080". */
  address: string;
  auth: DeviceAuth;
  /** Overall deadline per call (connect + reply); a status long-poll adds its wait on top. */
  timeoutMs?: number;
  /** Defaults to the app's shared pool (see dispatcher.ts). */
  dispatcher?: Dispatcher;
}

/** A revision as a number (12) or as the ETag the device sent ("\"12\""). */
export type Revision = number | string;

export interface DeviceConfig extends DeviceConfigReply {
  etag: string;
}

export type StatusReply =
  | { notModified: true; etag: string }
  | { notModified: false; status: DeviceStatus; etag: string | null };

export interface DeviceClient {
  readonly address: string;
  info(): Promise<DeviceInfo>;
  getConfig(): Promise<DeviceConfig>;
  /** Partial change, applied atomically by the device only if its revision still matches `ifMatch`. */
  patchConfig(values: DeviceConfigValues, options: { ifMatch: Revision }): Promise<DeviceConfigReply>;
  getConfigCfg(): Promise<{ text: string; etag: string | null }>;
  /** Replaces the whole config from `key=value` text (restore). */
  putConfigCfg(text: string, options?: { ifMatch?: Revision }): Promise<DeviceConfigReply>;
  /** `etag` → 304 becomes {notModified}; `waitS` → the device holds the request until the status changes. */
  getStatus(options?: { etag?: string; waitS?: number }): Promise<StatusReply>;
}

interface Call {
  method: "GET" | "PATCH" | "PUT";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Extra time this call may take beyond the timeout (long-poll). */
  extraMs?: number;
}

const etagOf = (revision: Revision): string => (typeof revision === "number" ? `"${revision}"` : revision);

export function createDeviceClient(options: DeviceClientOptions): DeviceClient {
  const address = checkAddress(options.address);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`timeoutMs must be positive, got ${timeoutMs}`);
  const { auth } = options;
  const origin = `http://${address}`;

  /** One HTTP exchange; 401 may be retried once if the auth object asks (Digest). Never throws on a status. */
  async function exchange(call: Call): Promise<RawReply> {
    const limitMs = timeoutMs + (call.extraMs ?? 0);
    const signal = AbortSignal.timeout(limitMs);
    const authRequest: AuthRequest = { method: call.method, path: call.path };
    for (let attempt = 0; ; attempt += 1) {
      const headers: Record<string, string> = { accept: "application/json", ...call.headers };
      const authorization = auth.authorize(authRequest);
      if (authorization !== undefined) headers.authorization = authorization;
      let reply: RawReply;
      try {
        const res = await request(origin + call.path, {
          method: call.method,
          headers,
          body: call.body,
          signal,
          dispatcher: options.dispatcher ?? sharedDeviceDispatcher(),
          // The long-poll may legitimately keep headers back for its whole wait.
          headersTimeout: limitMs + 1_000,
          bodyTimeout: limitMs + 1_000,
        });
        reply = { status: res.statusCode, headers: res.headers, text: await readCapped(res.body, address) };
      } catch (error) {
        if (error instanceof DeviceError) throw error;
        throw classifyTransportError(error, address, limitMs, signal.aborted);
      }
      if (reply.status === 401 && attempt === 0 && auth.onChallenge?.(header(reply, "www-authenticate"), authRequest))
        continue;
      return reply;
    }
  }

  const context = (call: Call): ReplyContext => ({ address, operation: `${call.method} ${call.path.split("?")[0]}` });

  /** An exchange whose only good outcome is 200 with a body matching `schema`. */
  async function json<T>(call: Call, parse: (ctx: ReplyContext, reply: RawReply) => T): Promise<{ value: T; reply: RawReply }> {
    const reply = await exchange(call);
    const ctx = context(call);
    if (reply.status !== 200) throw failureFor(ctx, reply);
    return { value: parse(ctx, reply), reply };
  }

  const parseConfig = (ctx: ReplyContext, reply: RawReply) => parseReply(ctx, reply, configReplySchema);

  return {
    address,

    async info() {
      return (await json({ method: "GET", path: `${API}/device` }, (ctx, r) => parseReply(ctx, r, deviceInfoSchema))).value;
    },

    async getConfig() {
      const { value, reply } = await json({ method: "GET", path: `${API}/config` }, parseConfig);
      return { ...value, etag: header(reply, "etag") ?? `"${value.revision}"` };
    },

    async patchConfig(values, { ifMatch }) {
      const call: Call = {
        method: "PATCH",
        path: `${API}/config`,
        headers: { "content-type": "application/json", "if-match": etagOf(ifMatch) },
        body: JSON.stringify({ values }),
      };
      return (await json(call, parseConfig)).value;
    },

    async getConfigCfg() {
      const call: Call = { method: "GET", path: `${API}/config.cfg`, headers: { accept: "text/plain" } };
      const { value, reply } = await json(call, checkCfgText);
      return { text: value, etag: header(reply, "etag") ?? null };
    },

    async putConfigCfg(text, putOptions = {}) {
      const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
      if (putOptions.ifMatch !== undefined) headers["if-match"] = etagOf(putOptions.ifMatch);
      return (await json({ method: "PUT", path: `${API}/config.cfg`, headers, body: text }, parseConfig)).value;
    },

    async getStatus(statusOptions = {}) {
      const waitS = statusOptions.waitS ?? 0;
      if (!Number.isInteger(waitS) || waitS < 0) throw new Error(`waitS must be a whole number of seconds, got ${waitS}`);
      const headers: Record<string, string> = {};
      if (statusOptions.etag !== undefined) headers["if-none-match"] = statusOptions.etag;
      const call: Call = {
        method: "GET",
        path: waitS > 0 ? `${API}/status?wait=${waitS}` : `${API}/status`,
        headers,
        extraMs: waitS * 1000,
      };
      const reply = await exchange(call);
      const ctx = context(call);
      if (reply.status === 304 && statusOptions.etag !== undefined)
        return { notModified: true, etag: header(reply, "etag") ?? statusOptions.etag };
      if (reply.status !== 200) throw failureFor(ctx, reply);
      return { notModified: false, status: parseReply(ctx, reply, deviceStatusSchema), etag: header(reply, "etag") ?? null };
    },
  };
}

/** "host:port" with a numeric port; IPv6 hosts in brackets. A bad address is a caller bug, not a device fault. */
function checkAddress(address: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
    throw new Error(`Device address must be host:port (e.g. 192.0.2.10:80), got "${address}"`);
  return address;
}

/** config.cfg: `key=value` lines; comments/blank lines allowed. Anything else is not the device's format. */
function checkCfgText(ctx: ReplyContext, reply: RawReply): string {
  const bad = reply.text.split(/\r?\n/).findIndex((raw) => {
    const line = raw.trim();
    return line !== "" && !line.startsWith("#") && !line.startsWith(";") && line.indexOf("=") <= 0;
  });
  if (bad >= 0 || reply.text.includes("\u0000"))
    throw new DeviceError(
      "malformed_reply",
      ctx.address,
      `Device ${ctx.address} sent an unexpected reply to ${ctx.operation}: line ${bad + 1} is not key=value`,
      { status: reply.status },
    );
  return reply.text;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, address: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_REPLY_BYTES) {
      body.destroy();
      throw new DeviceError("malformed_reply", address, `Device ${address} sent a reply larger than ${MAX_REPLY_BYTES >> 20} MiB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
