// Who may fetch a provisioning file: HTTP Basic or Digest (RFC 7617 / RFC 7616) against the shared credentials or
// the device's own. Digest nonces are stateless: a timestamp signed with a per-process key, fresh for 5 minutes, so no
// nonce table is needed (a replay within that window fetches the same file the phone could fetch anyway). Pure.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { challengeHeader, parseAuthorization, verifyAuthorization } from "@/lib/digest";

export const REALM = "SIP Admin Portal provisioning";
const NONCE_TTL_MS = 5 * 60_000;
const nonceKey = randomBytes(32);

export interface Credentials {
  username: string;
  password: string;
}

function sign(ts: string): string {
  return createHmac("sha256", nonceKey).update(ts).digest("hex").slice(0, 32);
}

export function newNonce(now = Date.now()): string {
  const ts = now.toString(36);
  return `${ts}.${sign(ts)}`;
}

function nonceState(nonce: string, now: number): "fresh" | "stale" | "forged" {
  const [ts, mac] = nonce.split(".");
  if (!ts || !mac || mac.length !== 32) return "forged";
  const a = Buffer.from(sign(ts));
  if (!timingSafeEqual(a, Buffer.from(mac.padEnd(32).slice(0, 32)))) return "forged";
  return now - parseInt(ts, 36) <= NONCE_TTL_MS ? "fresh" : "stale";
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export type AuthOutcome = { ok: true; username: string } | { ok: false; stale: boolean };

/** Checks an Authorization header against the accepted credentials (any one of them). */
export function checkAuthorization(header: string | null, request: { method: string; path: string }, accepted: Credentials[], now = Date.now()): AuthOutcome {
  const { method } = request;
  if (!header) return { ok: false, stale: false };
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) {
    const text = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = text.indexOf(":");
    const user = text.slice(0, colon);
    const pass = text.slice(colon + 1);
    const hit = colon > 0 && accepted.find((c) => same(c.username, user) && same(c.password, pass));
    return hit ? { ok: true, username: hit.username } : { ok: false, stale: false };
  }
  const digest = parseAuthorization(header);
  // The answer must be for this very file: a header captured for another MAC's file does not open this one.
  if (!digest || digest.realm !== REALM || digest.uri.split("?")[0] !== request.path) return { ok: false, stale: false };
  const state = nonceState(digest.nonce, now);
  if (state === "forged") return { ok: false, stale: false };
  const cred = accepted.find((c) => c.username === digest.username);
  if (!cred || !verifyAuthorization(digest, method, cred.password)) return { ok: false, stale: false };
  return state === "fresh" ? { ok: true, username: cred.username } : { ok: false, stale: true };
}

/**
 * The challenge of a 401: Digest only. Basic is still accepted when a phone sends it unasked; offering both would need
 * two WWW-Authenticate headers, which the Fetch Headers the route answers with join into one unparsable line.
 */
export function challenge(stale: boolean): string {
  return challengeHeader({ realm: REALM, nonce: newNonce(), stale });
}
