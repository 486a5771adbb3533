// Pages only (the matcher leaves /api out: a proxy makes Next buffer and truncate request bodies, see
// lib/api/body.ts; route handlers authenticate themselves). Two jobs:
//  1. a Content-Security-Policy with a fresh nonce per page request: Next puts that nonce on its own scripts, so
//     no inline script runs without it (no 'unsafe-inline' for scripts);
//  2. a presence check: pages without the session cookie go to /login. The real check (token valid, not
//     expired, role) happens in every page.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

const SESSION_COOKIE = "sap_session"; // = lib/auth SESSION_COOKIE (the proxy imports nothing of lib/auth)
// = lib/auth PATHNAME_HEADER: the page's path + query, for requireUser()'s /login?next= (server components get no URL).
const PATHNAME_HEADER = "x-pathname";

export function contentSecurityPolicy(nonce: string): string {
  const dev = env().NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Style attributes (React's style={…}, server-rendered) need this; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** True when a path segment is not valid percent-encoded UTF-8 (Next would answer a bare 500 for it). */
export function malformedPath(pathname: string): boolean {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  // A broken % escape (`/api/v1/devices/%E0%A4%A`) makes Next's router throw while decoding the route's params and
  // end in a plain-text 500 before any route code runs: refuse it here, clearly.
  if (malformedPath(pathname)) {
    const message = "The URL path has a malformed percent-encoding (e.g. a % not followed by two hex digits, or bytes that are not UTF-8)";
    if (pathname.startsWith("/api/")) return NextResponse.json({ error: { code: "bad_request", message } }, { status: 400 });
    return new NextResponse(`${message}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  // The matcher sends only /api paths holding a % here: nothing else to do for them.
  if (pathname.startsWith("/api/")) return NextResponse.next();
  // Phones fetching their file: no session, the provisioning server's own Basic/Digest auth (lib/provisioning);
  // /metrics: scrapers with METRICS_TOKEN (the route answers 401 itself, not a redirect to the sign-in page).
  if (pathname.startsWith("/provisioning/") || pathname === "/metrics") return NextResponse.next();
  const isLogin = pathname === "/login" || pathname.startsWith("/login/");
  if (!isLogin && !req.cookies.has(SESSION_COOKIE)) {
    const login = new URL("/login", req.url);
    login.searchParams.set("next", pathname + search);
    return NextResponse.redirect(login);
  }
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  // Always set (overwrites whatever the client sent); internal params such as _rsc are already stripped.
  headers.set(PATHNAME_HEADER, pathname + search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // Every page, the login page included; not the API (route handlers authenticate themselves), Next's own assets
  // or files with an extension (public/, /provisioning/<mac>.cfg).
  // /api paths only when they hold a % (to refuse broken escapes above): a proxy makes Next buffer request bodies
  // and cut them at 10 MB; every body limit is below that, so a cut body is still over its limit (413), never short.
  matcher: ["/((?!api/|api$|_next/static|_next/image|favicon\\.ico|.*\\.[a-zA-Z0-9]+$).*)", "/api/:path(.*%.*)"],
};
