import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { API_TOKEN_PREFIX, resolveApiToken } from "./tokens";
import { credentialOf, resolveSession, SESSION_COOKIE, type Credential } from "./sessions";
import type { Role, User } from "./types";

export type { Role, User };
export { SESSION_COOKIE, SESSION_TTL_MS, sessionCookie, clearedSessionCookie, readCookie, tokenFromRequest } from "./sessions";
export { createUser, deleteUser, ensureFirstAdmin, listUsers, login, logout, updateUser, userInputSchema, userPatchSchema, type ListedUser, type UserInput, type UserPatch } from "./users";
export { hashPassword, verifyPassword } from "./password";
export { createApiToken, listApiTokens, revokeApiToken } from "./tokens";
export { confirmTotp, disableTotp, resetTotp, startTotp, totpStatus } from "./totp";
export { KNOWN_BROWSER_COOKIE, knownBrowserCookie, knownBrowserValue, resetLoginThrottle, throttledLogin } from "./login-throttle";

/** The signed-in user of the current server-component request, or null. */
export async function getCurrentUser(): Promise<User | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? resolveSession(token) : null;
}

/** Request header proxy.ts sets on page requests: the page's path + query (server components get no URL). */
export const PATHNAME_HEADER = "x-pathname";

/**
 * For server components/pages: the signed-in user, or a redirect to /login?next=<this page> (a missing or expired
 * session), so signing in returns to the page asked for. The login page accepts same-site paths only.
 */
export async function requireUser(): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(await loginUrl());
  return user;
}

async function loginUrl(): Promise<string> {
  const path = (await headers()).get(PATHNAME_HEADER);
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/login")) return "/login";
  return `/login?next=${encodeURIComponent(path)}`;
}

/** A request's user and how it proved who it is (the cross-site check applies to cookies only). */
export interface Authenticated {
  user: User;
  via: Credential["via"];
}

/** For route handlers: the user of the session cookie or Bearer token; 401 otherwise. */
export async function authenticate(req: Request): Promise<Authenticated> {
  const cred = credentialOf(req);
  const user = !cred ? null : cred.token.startsWith(API_TOKEN_PREFIX) ? await resolveApiToken(cred.token) : await resolveSession(cred.token);
  if (!user || !cred) {
    throw new AppError("unauthenticated", cred ? "Your session has expired, please sign in again" : "Sign in first (session cookie or Authorization: Bearer token)");
  }
  return { user, via: cred.via };
}

export async function authenticateRequest(req: Request): Promise<User> {
  return (await authenticate(req)).user;
}

export function requireRole(user: User, role: Role): void {
  if (role === "admin" && user.role !== "admin") throw new AppError("forbidden", "Viewers cannot change anything");
}
