import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { resolveSession, SESSION_COOKIE, tokenFromRequest } from "./sessions";
import type { Role, User } from "./types";

export type { Role, User };
export { SESSION_COOKIE, SESSION_TTL_MS, sessionCookie, clearedSessionCookie, tokenFromRequest } from "./sessions";
export { createUser, deleteUser, ensureFirstAdmin, listUsers, login, logout, updateUser, userInputSchema, userPatchSchema, type ListedUser, type UserInput, type UserPatch } from "./users";
export { hashPassword, verifyPassword } from "./password";
export { clientIp, resetLoginThrottle, throttledLogin } from "./login-throttle";

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

/** For route handlers: the user of the session cookie or Bearer token; 401 otherwise. */
export async function authenticateRequest(req: Request): Promise<User> {
  const token = tokenFromRequest(req);
  const user = token ? await resolveSession(token) : null;
  if (!user) {
    throw new AppError("unauthenticated", token ? "Your session has expired, please sign in again" : "Sign in first (session cookie or Authorization: Bearer token)");
  }
  return user;
}

export function requireRole(user: User, role: Role): void {
  if (role === "admin" && user.role !== "admin") throw new AppError("forbidden", "Viewers cannot change anything");
}
