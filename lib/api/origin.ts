// Cross-site request check for state-changing requests. Cookies ride along on requests another site makes the
// browser send; a mutation that rests on the session cookie must therefore prove it comes from our own pages:
// a same-origin `Origin`, or (when a browser sends no Origin) `Sec-Fetch-Site: same-origin`. Only a request
// really authenticated by `Authorization: Bearer` skips this (a browser never adds that header by itself); a
// request that is not authenticated at all (signing in) is refused only on an explicit cross-site signal.
import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);


/** The host the client addressed: `Host`, or `X-Forwarded-Host` (first entry) only behind a trusted proxy. */
export function requestHost(req: Request): string {
  const forwarded = env().TRUST_PROXY ? req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || req.headers.get("host") || new URL(req.url).host).toLowerCase();
}

const refused = (why: string) => new AppError("forbidden", `Cross-site request refused: ${why}`);

/** Throws 403 unless the request may change state; `via` is how it was authenticated (undefined: not at all). */
export function checkSameOrigin(req: Request, via: "bearer" | "cookie" | undefined): void {
  if (SAFE_METHODS.has(req.method) || via === "bearer") return;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    let host: string | null = null;
    try {
      host = origin === "null" ? null : new URL(origin).host.toLowerCase();
    } catch {
      /* garbage: refused below */
    }
    if (host !== requestHost(req)) throw refused(`Origin ${origin.slice(0, 100)} is not this site`);
    return;
  }
  const site = req.headers.get("sec-fetch-site");
  if (site !== null) {
    if (site !== "same-origin") throw refused(`Sec-Fetch-Site is ${site.slice(0, 40)}`);
    return;
  }
  // Without either header only a request that rests on the cookie is refused; an unauthenticated one (signing in
  // from a script) has no ambient credential to abuse.
  if (via === "cookie") {
    throw refused("a request authenticated by the session cookie must carry Origin (or use Authorization: Bearer)");
  }
}
