// Client for one phone's HTTP config API (emulator/API.md). Each call has an overall deadline (AbortSignal)
// on top of the pool's socket timeouts, and every outcome is either a validated value or a DeviceError.
import type { Dispatcher } from "undici";
import type { DeviceAuth } from "./auth";
import { DeviceError } from "./errors";
import { DEFAULT_TIMEOUT_MS, checkAddress, checkTimeout, createExchange, type HttpCall } from "./http";
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

export { DEFAULT_TIMEOUT_MS };
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

/** `waitMaxS`: the longest long-poll the phone holds (its Status-Wait-Max header), null when it does not hold any. */
export type StatusReply =
  | { notModified: true; etag: string; waitMaxS?: number | null }
  | { notModified: false; status: DeviceStatus; etag: string | null; waitMaxS?: number | null };

export interface DeviceClient {
  readonly address: string;
  info(): Promise<DeviceInfo>;
  getConfig(): Promise<DeviceConfig>;
  /** Partial change, applied atomically by the device only if its revision still matches `ifMatch`. */
  patchConfig(values: DeviceConfigValues, options: { ifMatch: Revision }): Promise<DeviceConfigReply>;
  getConfigCfg(): Promise<{ text: string; etag: string | null }>;
  /** Replaces the whole config from `key=value` text (restore). */
  putConfigCfg(text: string, options?: { ifMatch?: Revision }): Promise<DeviceConfigReply>;
  /**
   * `etag` → 304 becomes {notModified}; `waitS` → a phone with the long-poll (see `waitMaxS`) holds the request
   * until the status changes; `signal` gives a held request up.
   */
  getStatus(options?: { etag?: string; waitS?: number; signal?: AbortSignal }): Promise<StatusReply>;
}

type Call = HttpCall;

const etagOf = (revision: Revision): string => (typeof revision === "number" ? `"${revision}"` : revision);

export function createDeviceClient(options: DeviceClientOptions): DeviceClient {
  const address = checkAddress(options.address);
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const exchange = createExchange({ address, auth: options.auth, timeoutMs, dispatcher: options.dispatcher, accept: "application/json" });

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
        signal: statusOptions.signal,
      };
      const reply = await exchange(call);
      const waitMaxS = waitMaxOf(header(reply, STATUS_WAIT_HEADER));
      // The hot path of the poller (a 304 several thousand times a second): no context built unless needed.
      if (reply.status === 304 && statusOptions.etag !== undefined)
        return { notModified: true, etag: header(reply, "etag") ?? statusOptions.etag, waitMaxS };
      if (reply.status !== 200) throw failureFor(context(call), reply);
      return { notModified: false, status: parseReply(context(call), reply, deviceStatusSchema), etag: header(reply, "etag") ?? null, waitMaxS };
    },
  };
}

/** The header a phone that holds status long-polls sends with every status answer (emulator/API.md). */
const STATUS_WAIT_HEADER = "status-wait-max";

/** A whole number of seconds ≥ 1, else null (absent or nonsense: the phone is treated as not holding long-polls). */
function waitMaxOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (!/^\d{1,4}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 ? n : null;
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
