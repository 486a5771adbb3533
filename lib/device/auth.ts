// How the client proves itself to a device. Basic today; real phones often use Digest, which needs the
// server's challenge (nonce) first — hence the `onChallenge` hook: a 401 hands the WWW-Authenticate value to the
// auth object, and when it answers true the client retries the request exactly once with a fresh `authorize`.

export interface AuthRequest {
  method: string;
  /** Path + query, as sent (Digest hashes it). */
  path: string;
}

export interface DeviceAuth {
  /** For messages and logs, e.g. "Basic". */
  readonly scheme: string;
  /** The Authorization header for this request, or undefined to send none (e.g. Digest before any challenge). */
  authorize(request: AuthRequest): string | undefined;
  /**
   * Called with a 401's WWW-Authenticate header. Return true to have the request retried once (after
   * storing e.g. a Digest nonce); false means the credentials were refused.
   */
  onChallenge?(challenge: string | undefined, request: AuthRequest): boolean;
}

/** HTTP Basic: the same header on every request; a 401 is final. */
export function basicAuth(username: string, password: string): DeviceAuth {
  // RFC 7617: user-id must not contain a colon; the device could never parse it back.
  if (username.includes(":")) throw new Error("A Basic-auth username cannot contain ':'");
  const header = `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  return { scheme: "Basic", authorize: () => header };
}
