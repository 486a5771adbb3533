// One HTTP exchange with a phone, shared by every HTTP driver (the JSON API client, the web interface driver): undici
// on the shared pool, an overall AbortSignal deadline on top of the pool's socket timeouts, a size cap on replies,
// transport failures classified, and one retry after a 401 when the auth object asks (Digest).
import type { Dispatcher, FormData } from "undici";
import { request } from "undici";
import type { AuthRequest, DeviceAuth } from "./auth";
import { sharedDeviceDispatcher } from "./dispatcher";
import { DeviceError, classifyTransportError } from "./errors";
import type { RawReply } from "./reply";

export const DEFAULT_TIMEOUT_MS = 5_000;
/** Config replies and pages are a few KiB; anything far larger is not a phone talking. */
const MAX_REPLY_BYTES = 1 << 20;

export interface HttpCall {
  method: "GET" | "PATCH" | "PUT" | "POST";
  path: string;
  headers?: Record<string, string>;
  /** A multipart body is undici's FormData (a file upload). */
  body?: string | FormData;
  /** Extra time this call may take beyond the timeout (long-poll). */
  extraMs?: number;
  /** The caller's own abort (a held long-poll given up: shard moved, poller stopping). */
  signal?: AbortSignal;
}

export interface ExchangeOptions {
  /** "host:port", already checked with checkAddress. */
  address: string;
  auth: DeviceAuth;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  /** Accept header when the call sets none. */
  accept: string;
}

/** A reply's values of one header (undici gives repeated headers, e.g. two WWW-Authenticate, as an array). */
export function headerValues(reply: RawReply, name: string): string[] {
  const value = reply.headers[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Returns the phone's answer, whatever its status; throws only a DeviceError for no answer at all. */
export function createExchange(options: ExchangeOptions): (call: HttpCall) => Promise<RawReply> {
  const { address, auth, timeoutMs } = options;
  const origin = `http://${address}`;
  return async function exchange(call) {
    const limitMs = timeoutMs + (call.extraMs ?? 0);
    // The overall deadline as a plain controller and a timer cleared when the exchange ends. AbortSignal.timeout's
    // timer outlives the request (it fires after 5 s into a signal nobody listens to): at thousands of polls a
    // second that kept tens of thousands of timers, WeakRefs and DOMExceptions alive (BENCHMARKS.md).
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort(new DOMException(`no answer within ${limitMs} ms`, "TimeoutError"));
    }, limitMs);
    const callerAbort = () => deadline.abort(call.signal!.reason);
    if (call.signal?.aborted) callerAbort();
    else call.signal?.addEventListener("abort", callerAbort, { once: true });
    const signal = deadline.signal;
    const authRequest: AuthRequest = { method: call.method, path: call.path };
    try {
      for (let attempt = 0; ; attempt += 1) {
        const headers: Record<string, string> = { accept: options.accept, ...call.headers };
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
          reply = { status: res.statusCode, headers: res.headers, text: await readCapped(res, address) };
        } catch (error) {
          if (error instanceof DeviceError) throw error;
          throw classifyTransportError(error, address, limitMs, timedOut);
        }
        if (reply.status === 401 && attempt === 0 && auth.onChallenge?.(preferredChallenge(headerValues(reply, "www-authenticate")), authRequest))
          continue;
        return reply;
      }
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener("abort", callerAbort);
    }
  };
}

/** Of several offered challenges the strongest we speak: Digest before Basic. */
function preferredChallenge(values: string[]): string | undefined {
  return values.find((v) => /^\s*Digest\s/i.test(v)) ?? values[0];
}

/** "host:port" with a numeric port; IPv6 hosts in brackets. A bad address is a caller bug, not a device fault. */
export function checkAddress(address: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
    throw new Error(`Device address must be host:port (e.g. 192.0.2.10:80), got "${address}"`);
  return address;
}

export function checkTimeout(timeoutMs: number): number {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`timeoutMs must be positive, got ${timeoutMs}`);
  return timeoutMs;
}

/**
 * The reply body as text, never more than MAX_REPLY_BYTES: a declared length over the cap is refused before reading,
 * a declared length within it is read whole (undici stops at the length), a 304/204 has none; only a body without a
 * length (chunked) is counted chunk by chunk — the common small replies skip the async iterator.
 */
async function readCapped(res: Dispatcher.ResponseData, address: string): Promise<string> {
  const body = res.body;
  if (res.statusCode === 304 || res.statusCode === 204) {
    await body.dump();
    return "";
  }
  const declared = res.headers["content-length"];
  const length = typeof declared === "string" && /^\d+$/.test(declared) ? Number(declared) : null;
  if (length !== null && length > MAX_REPLY_BYTES) {
    body.destroy();
    throw tooLarge(address);
  }
  if (length !== null) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REPLY_BYTES) {
      body.destroy();
      throw tooLarge(address);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(address: string): DeviceError {
  return new DeviceError("malformed_reply", address, `Device ${address} sent a reply larger than ${MAX_REPLY_BYTES >> 20} MiB`);
}
