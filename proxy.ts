// Presence check only: pages without the session cookie go to /login, API calls without cookie or Bearer get 401.
// The real check (token valid, not expired, role) happens in every page and route handler.
import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIE = "sap_session"; // = lib/auth SESSION_COOKIE (proxy stays free of server-only imports)
// = lib/auth PATHNAME_HEADER: the page's path + query, for requireUser()'s /login?next= (server components get no URL).
const PATHNAME_HEADER = "x-pathname";

/** API endpoints reachable without a session: signing in, and the API description (it holds no data). */
function isPublicApi(req: NextRequest): boolean {
  const { pathname } = req.nextUrl;
  return (pathname === "/api/v1/session" && req.method === "POST") || pathname === "/api/v1/openapi.json";
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  // Phones fetching their file: no session, the provisioning server's own Basic/Digest auth (lib/provisioning).
  if (pathname.startsWith("/provisioning/")) return NextResponse.next();
  const hasSession = req.cookies.has(SESSION_COOKIE) || /^Bearer\s+\S+/i.test(req.headers.get("authorization") ?? "");
  if (hasSession) {
    if (pathname.startsWith("/api/")) return NextResponse.next();
    // Always set (overwrites whatever the client sent); internal params such as _rsc are already stripped.
    const headers = new Headers(req.headers);
    headers.set(PATHNAME_HEADER, pathname + search);
    return NextResponse.next({ request: { headers } });
  }
  // /metrics is for scrapers too: a missing token is a 401 there, not a redirect to the sign-in page.
  if (pathname.startsWith("/api/") || pathname === "/metrics") {
    if (isPublicApi(req)) return NextResponse.next();
    return NextResponse.json(
      { error: { code: "unauthenticated", message: "Sign in first (session cookie or Authorization: Bearer token)" } },
      { status: 401 },
    );
  }
  const login = new URL("/login", req.url);
  login.searchParams.set("next", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except the login page, Next's own assets and files with an extension (public/).
  matcher: ["/((?!login|_next/static|_next/image|favicon\\.ico|.*\\.[a-zA-Z0-9]+$).*)", "/api/:path*"],
  // (/provisioning/<mac>.cfg has an extension, so the matcher already skips it; the check above keeps it so.)
};
