// Every failure of a device call is a DeviceError with a fixed code, so callers (push, poller, UI) branch on
// `code`/`retryable` and show `message` to an administrator as is.
export type DeviceErrorCode =
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "rejected"
  | "conflict"
  | "malformed_reply"
  | "device_error";

/** Whether trying again later can succeed without anyone changing anything. */
const RETRYABLE: Record<DeviceErrorCode, boolean> = {
  unreachable: true,
  timeout: true,
  device_error: true,
  conflict: true,
  rejected: false,
  unauthorized: false,
  malformed_reply: false,
};

export interface DeviceErrorDetails {
  /** HTTP status of the device's answer; absent when there was none (unreachable, timeout). */
  status?: number;
  /** rejected: the device's message per config key. */
  fields?: Record<string, string>;
  /** conflict: the device's current config revision, when it said. */
  revision?: number;
  cause?: unknown;
}

export class DeviceError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  readonly fields?: Record<string, string>;
  readonly revision?: number;

  constructor(
    readonly code: DeviceErrorCode,
    /** "host:port" of the device. */
    readonly address: string,
    message: string,
    details: DeviceErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "DeviceError";
    this.retryable = RETRYABLE[code];
    if (details.status !== undefined) this.status = details.status;
    if (details.fields !== undefined) this.fields = details.fields;
    if (details.revision !== undefined) this.revision = details.revision;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      address: this.address,
      status: this.status,
      fields: this.fields,
      revision: this.revision,
    };
  }
}

export function isDeviceError(error: unknown): error is DeviceError {
  return error instanceof DeviceError;
}

/** 5000 → "5 s", 1500 → "1.5 s", 300 → "300 ms". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

// Socket-level errno codes that mean "no answer from this address" (the request never got a reply).
const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  EADDRNOTAVAIL: "address not available",
  UND_ERR_SOCKET: "connection closed before a reply",
  UND_ERR_CLOSED: "connection closed before a reply",
};
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

/** Follows `cause` links: undici and AbortSignal wrap the socket error. */
function* chain(error: unknown): Generator<{ code?: unknown; name?: unknown; message?: unknown }> {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    yield current as { code?: unknown; name?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

/**
 * A thrown transport error (no HTTP answer) → unreachable | timeout. `timedOut` is true when our own overall
 * deadline fired. Anything unrecognised counts as unreachable: there was no reply to classify.
 */
export function classifyTransportError(
  error: unknown,
  address: string,
  timeoutMs: number,
  timedOut: boolean,
): DeviceError {
  const links = [...chain(error)];
  if (timedOut || links.some((e) => e.name === "TimeoutError" || TIMEOUT_CODES.has(String(e.code))))
    return new DeviceError("timeout", address, `Device ${address} did not answer within ${formatDuration(timeoutMs)}`, {
      cause: error,
    });
  const known = links.map((e) => String(e.code)).find((code) => code in UNREACHABLE_CODES);
  const reason = known ? UNREACHABLE_CODES[known] : String(links[0]?.message ?? error);
  return new DeviceError("unreachable", address, `Device ${address} is unreachable (${reason})`, { cause: error });
}
