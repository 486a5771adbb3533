import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/db";
import { sessions, users } from "@/lib/db/schema";
import type { User } from "./types";

export const SESSION_COOKIE = "sap_session";
/** Sliding expiry: a session lives this long after its last use. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
// Extend at most once a minute, so a busy page does not write on every request.
const TOUCH_EVERY_MS = 60 * 1000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a session and returns its token (only the token's hash is stored). */
export async function createSession(userId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = await getDb();
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  return token;
}

/** The session's user, or null when the token is unknown or expired; extends the expiry on use. */
export async function resolveSession(token: string, now = new Date()): Promise<User | null> {
  if (!token || token.length > 200) return null;
  const db = await getDb();
  const id = hashToken(token);
  const [row] = await db
    .select({ id: users.id, username: users.username, role: users.role, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) })
      .where(eq(sessions.id, id));
  }
  return { id: row.id, username: row.username, role: row.role };
}

export async function deleteSession(token: string): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

export async function deleteExpiredSessions(now = new Date()): Promise<void> {
  const db = await getDb();
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

/**
 * Set-Cookie value for a new session. No Max-Age: the browser keeps it for its session while the server
 * enforces the 12 h sliding expiry (a fixed Max-Age would cut off an active user after 12 h).
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** Where a request's credential came from: an explicit `Authorization: Bearer` header, or the session cookie. */
export interface Credential {
  token: string;
  via: "bearer" | "cookie";
}

/**
 * The credential of a request: `Authorization: Bearer <token>` first, else the cookie. An Authorization header
 * that is not exactly `Bearer <token>` is refused (401) rather than silently ignored in favour of the cookie.
 */
export function credentialOf(req: Request): Credential | null {
  const auth = req.headers.get("authorization");
  if (auth !== null) {
    const bearer = auth.match(/^Bearer[ \t]+([\x21-\x7e]{1,200})[ \t]*$/i);
    if (!bearer) throw new AppError("unauthenticated", "The Authorization header must be \"Bearer <token>\"");
    return { token: bearer[1], via: "bearer" };
  }
  const cookie = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
  return cookie ? { token: cookie, via: "cookie" } : null;
}

/** The session token of a request (see credentialOf). */
export function tokenFromRequest(req: Request): string | null {
  return credentialOf(req)?.token ?? null;
}

/** A cookie's value; a malformed one (bad % escape, control characters) counts as absent. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        const value = decodeURIComponent(part.slice(eq + 1).trim());
        return /^[\x21-\x7e]{1,200}$/.test(value) ? value : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}
