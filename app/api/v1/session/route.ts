import { z } from "zod";
import { AppError } from "@/lib/errors";
import { errorJson, handler, json, parseWith, readJson, userOf } from "@/lib/api/handler";
import {
  clearedSessionCookie,
  KNOWN_BROWSER_COOKIE,
  knownBrowserCookie,
  knownBrowserValue,
  logout,
  readCookie,
  sessionCookie,
  throttledLogin,
  tokenFromRequest,
} from "@/lib/auth";
import { clientAddressOf } from "@/lib/net/client-address";

const loginSchema = z.object({
  username: z.string({ error: "Username is required" }).trim().min(1, "Username is required").max(64),
  password: z.string({ error: "Password is required" }).min(1, "Password is required").max(256),
  /** Two-step sign-in: the authenticator app's current code (only for accounts that have it on). */
  code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code").optional(),
});

/** Secure cookies only over https (also behind a TLS-terminating proxy that says so). */
const isHttps = (req: Request) => new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";

export const POST = handler(
  async (req) => {
    const { username, password, code } = parseWith(loginSchema, await readJson(req));
    const from = { ip: clientAddressOf(req), knownBrowser: readCookie(req.headers.get("cookie"), KNOWN_BROWSER_COOKIE) };
    const result = await throttledLogin(username, password, from, code);
    if (result.outcome === "blocked") {
      const minutes = Math.ceil(result.retryAfterS / 60);
      const message = `Too many failed sign-ins for this account; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
      return errorJson(new AppError("too_many_attempts", message), { "retry-after": String(result.retryAfterS) });
    }
    if (result.outcome === "failed") throw new AppError("invalid_credentials", "Wrong username or password");
    const headers = new Headers();
    headers.append("set-cookie", sessionCookie(result.token, isHttps(req)));
    // This browser is now known for this account: failed sign-ins elsewhere never block it (login-throttle.ts).
    headers.append("set-cookie", knownBrowserCookie(knownBrowserValue(result.user.username), isHttps(req)));
    return json({ user: result.user, token: result.token }, 200, headers);
  },
  { auth: "public", body: "auth" },
);

export const GET = handler(async (_req, ctx) => json({ user: userOf(ctx) }));

export const DELETE = handler(async (req, ctx) => {
  const token = tokenFromRequest(req);
  if (token) await logout(token, userOf(ctx).username);
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(isHttps(req)) } });
});
