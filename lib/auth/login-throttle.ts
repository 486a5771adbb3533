import "server-only";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { audit } from "@/lib/db/audit";
import { login } from "./users";
import type { User } from "./types";

// Password-guessing protection for POST /api/v1/session (rate-limiter-flexible). Two counters of FAILED sign-ins:
//  - per username + client IP: LOGIN_MAX_FAILURES (5) in LOGIN_WINDOW_MIN (15) minutes, then blocked for the window;
//  - per username alone: 4 × that (20), which slows down guessing one account from many addresses.
// An attempt takes its point BEFORE the password is checked (so parallel guesses cannot all slip through) and a
// blocked attempt is answered without checking the password (no timing oracle). A success clears the
// username+IP counter and gives back its point on the username counter.
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

/**
 * The client address the per-IP counter uses. Only with TRUST_PROXY=1 is `X-Forwarded-For` believed, and then only
 * its last entry: the address our own reverse proxy saw connecting (earlier entries are whatever the client sent).
 * Otherwise every client shares the bucket "local": Next route handlers get no socket address, and `X-Real-IP` or
 * `X-Forwarded-For` from an untrusted client could be set to anything, so the per-IP counter is then per username.
 */
export function clientIp(req: Request): string {
  if (!env().TRUST_PROXY) return "local";
  const hops = (req.headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  return hops.at(-1)?.slice(0, 64) || "local";
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

/** `login()` behind the two failure counters; `ip` from `clientIp(req)`. */
export async function throttledLogin(username: string, password: string, ip: string): Promise<ThrottledLogin> {
  const l = getLimiters();
  const userKey = username.toLowerCase();
  const userIpKey = `${userKey}\n${ip}`;

  const a = await take(l.byUserIp, userIpKey);
  if (a === "blocked") return { outcome: "blocked", retryAfterS: await blockedFor(l.byUserIp, userIpKey) };
  const b = await take(l.byUser, userKey);
  if (b === "blocked") {
    await l.byUserIp.reward(userIpKey); // never checked, so not a failure from this address
    return { outcome: "blocked", retryAfterS: await blockedFor(l.byUser, userKey) };
  }

  const result = await login(username, password);
  if (result) {
    await l.byUserIp.delete(userIpKey);
    await l.byUser.reward(userKey);
    return { outcome: "ok", ...result };
  }

  // The failure that reaches a limit starts a block of one full window, audited once (later attempts are refused
  // before they count, so they cannot reach the limit again).
  const reached: { scope: string; limiter: RateLimiterMemory; key: string }[] = [];
  if (a.consumedPoints === l.byUserIp.points) reached.push({ scope: "username+ip", limiter: l.byUserIp, key: userIpKey });
  if (b.consumedPoints === l.byUser.points) reached.push({ scope: "username", limiter: l.byUser, key: userKey });
  for (const r of reached) {
    await r.limiter.block(r.key, l.windowS);
    await audit(await getDb(), {
      actor: username.slice(0, 64),
      action: "login.blocked",
      targetType: "user",
      details: { scope: r.scope, ip, failures: r.limiter.points, minutes: l.windowS / 60 },
    });
  }
  return { outcome: "failed" };
}
