// How the client proves itself to a device. Basic today; real phones often use Digest, which needs the
// server's challenge (nonce) first — hence the `onChallenge` hook: a 401 hands the WWW-Authenticate value to the
// auth object, and when it answers true the client retries the request exactly once with a fresh `authorize`.
import { authorizationFor, parseChallenge, type DigestChallenge } from "@/lib/digest";

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

/**
 * Whatever the phone asks for (the AudioCodes-family web interface offers Digest and, on older firmware, Basic):
 * nothing until the first 401, then Digest (RFC 7616, answered with lib/digest; the nonce is reused with a rising
 * nc until the phone refuses it) or Basic when that is all it offers. A second 401 for the same request is final.
 */
export function challengeAuth(username: string, password: string): DeviceAuth {
  let digest: { challenge: DigestChallenge; nc: number } | null = null;
  let basic: string | null = null;
  return {
    get scheme() {
      return digest ? "Digest" : basic ? "Basic" : "none yet";
    },
    authorize(request) {
      if (digest) {
        digest.nc += 1;
        return authorizationFor(digest.challenge, { username, password, method: request.method, uri: request.path, nc: digest.nc });
      }
      return basic ?? undefined;
    },
    onChallenge(value) {
      const challenge = parseChallenge(value);
      if (challenge) {
        digest = { challenge, nc: 0 };
        return true;
      }
      if (value !== undefined && /^\s*Basic\b/i.test(value) && basic === null) {
        basic = basicAuth(username, password).authorize({ method: "GET", path: "/" })!;
        return true;
      }
      return false;
    },
  };
}
