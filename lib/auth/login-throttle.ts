import "server-only";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { getKey } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { audit } from "@/lib/db/audit";
import { login } from "./users";
import type { User } from "./types";

// Password-guessing protection for POST /api/v1/session (rate-limiter-flexible) that an attacker cannot turn
// against the account's owner. Failed sign-ins are counted per username + SOURCE, and only that source is blocked
// (LOGIN_MAX_FAILURES (5) in LOGIN_WINDOW_MIN (15) minutes). A source is
//  - a browser that already signed in to this account: it holds a signed "known browser" cookie (sap_known,
//    HMAC with SECRET_KEY, bound to the username), so failures from anywhere else never block it; else
//  - the client address (lib/net/client-address): with TRUST_PROXY=1 the last X-Forwarded-For hop (the one our
//    own proxy appended), else under `npm start` the TCP peer's address. Only under `next start`/`next dev`, which
//    pass a client's own X-Forwarded-For through, is it "unknown" for everyone: all unknown browsers then share
//    one source, and a new browser may be held back while an attack on that username lasts (a known one never is).
// Per username alone, failures are counted too (4 × the limit): past it the attempts of unknown sources are slowed
// down (LOGIN_SLOWDOWN_MS each), never refused, so distributed guessing gets slower without locking anyone out.
// An attempt takes its point BEFORE the password is checked (parallel guesses cannot all slip through) and a
// blocked attempt is answered without checking the password (no timing oracle). A success clears its source's
// counter and gives back its point on the username counter.
//
// The counters live in this process's memory: right for one web process. When several web processes share one
// PostgreSQL database, they would each count on their own; the path
// there is `RateLimiterPostgres` from the same library on that database (same interface, `storeClient: pool`).

interface Limiters {
  maxFailures: number;
  windowS: number;
  byUserIp: RateLimiterMemory;
  byUser: RateLimiterMemory;
}

let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  if (!limiters) {
    const maxFailures = env().LOGIN_MAX_FAILURES;
    const windowS = env().LOGIN_WINDOW_MIN * 60;
    limiters = {
      maxFailures,
      windowS,
      byUserIp: new RateLimiterMemory({ keyPrefix: "login_user_ip", points: maxFailures, duration: windowS }),
      byUser: new RateLimiterMemory({ keyPrefix: "login_user", points: maxFailures * 4, duration: windowS }),
    };
  }
  return limiters;
}

/** Forgets every counter and re-reads LOGIN_MAX_FAILURES / LOGIN_WINDOW_MIN (tests; all run in one process). */
export function resetLoginThrottle(): void {
  limiters = undefined;
}

export type ThrottledLogin =
  | { outcome: "ok"; user: User; token: string }
  | { outcome: "failed" }
  | { outcome: "blocked"; retryAfterS: number };

const isRes = (e: unknown): e is RateLimiterRes => typeof e === "object" && e !== null && "msBeforeNext" in e;

/** Takes one point; the RateLimiterRes it rejects with means "over the limit" (anything else is a real error). */
async function take(limiter: RateLimiterMemory, key: string): Promise<RateLimiterRes | "blocked"> {
  try {
    return await limiter.consume(key);
  } catch (e) {
    if (isRes(e)) return "blocked";
    throw e;
  }
}

async function blockedFor(limiter: RateLimiterMemory, key: string): Promise<number> {
  const res = await limiter.get(key);
  return Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
}

// ── Known browsers ─────────────────────────────────────────────────────────────────────────────────────────
export const KNOWN_BROWSER_COOKIE = "sap_known";
const KNOWN_BROWSER_MAX_AGE_S = 365 * 24 * 3600;

// A key of its own, derived from SECRET_KEY (rotating SECRET_KEY just makes every browser unknown again).
const mac = (payload: string) =>
  createHmac("sha256", Buffer.from(hkdfSync("sha256", getKey(), "", "sap known browser", 32))).update(payload).digest("base64url");

/** A new known-browser cookie value for `username` (after a successful sign-in). */
export function knownBrowserValue(username: string): string {
  const payload = `${Buffer.from(username.toLowerCase()).toString("base64url")}.${randomBytes(12).toString("base64url")}`;
  return `${payload}.${mac(payload)}`;
}

export function knownBrowserCookie(value: string, secure: boolean): string {
  return `${KNOWN_BROWSER_COOKIE}=${value}; Path=/api/v1/session; Max-Age=${KNOWN_BROWSER_MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** The browser's id when its cookie is genuine and names this username; null otherwise. */
export function knownBrowserId(value: string | null, username: string): string | null {
  const parts = value?.split(".");
  if (!parts || parts.length !== 3) return null;
  const [user, id, sig] = parts;
  const expected = Buffer.from(mac(`${user}.${id}`));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(user, "base64url").toString() === username.toLowerCase() ? id : null;
}

const slowdownMs = () => env().LOGIN_SLOWDOWN_MS;

export interface LoginSource {
  /** From clientAddressOf(req) (lib/net/client-address). */
  ip: string;
  /** The request's sap_known cookie value, if any. */
  knownBrowser: string | null;
}

/** `login()` behind the failure counters (see the top of this file). */
export async function throttledLogin(username: string, password: string, from: LoginSource, code?: string): Promise<ThrottledLogin> {
  const l = getLimiters();
  const userKey = username.toLowerCase();
  const browser = knownBrowserId(from.knownBrowser, username);
  const source = browser ? `browser:${browser}` : `ip:${from.ip}`;
  const sourceKey = `${userKey}\n${source}`;

  const a = await take(l.byUserIp, sourceKey);
  if (a === "blocked") return { outcome: "blocked", retryAfterS: await blockedFor(l.byUserIp, sourceKey) };
  // Never refuses; past its limit, unknown sources wait before their password is checked.
  const b = await l.byUser.penalty(userKey);
  if (!browser && b.consumedPoints > l.byUser.points) await new Promise((r) => setTimeout(r, slowdownMs()));

  const result = await login(username, password, code);
  // (The right password without a code throws totp_required: neither failure nor success, its point stays taken.)
  if (result) {
    await l.byUserIp.delete(sourceKey);
    await l.byUser.reward(userKey);
    return { outcome: "ok", ...result };
  }

  // The failure that reaches the limit starts a block of one full window, audited once (later attempts are
  // refused before they count, so they cannot reach the limit again).
  if (a.consumedPoints === l.byUserIp.points) {
    await l.byUserIp.block(sourceKey, l.windowS);
    await audit(await getDb(), {
      actor: username.slice(0, 64),
      action: "login.blocked",
      targetType: "user",
      details: { scope: browser ? "username+browser" : "username+ip", ip: from.ip, failures: l.byUserIp.points, minutes: l.windowS / 60 },
    });
  }
  return { outcome: "failed" };
}
