import "server-only";
import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { users } from "@/lib/db/schema";
import { hashPassword, verifyPassword } from "./password";
import { createSession, deleteExpiredSessions, deleteSession } from "./sessions";
import type { User } from "./types";

export const userInputSchema = z.object({
  username: z
    .string({ error: "Username is required" })
    .trim()
    .min(1, "Username is required")
    .max(64, "Username can be at most 64 characters")
    .regex(/^[A-Za-z0-9._@-]+$/, "Username may contain letters, digits and . _ @ - only"),
  password: z
    .string({ error: "Password is required" })
    .min(8, "Password must be at least 8 characters")
    .max(256, "Password can be at most 256 characters"),
  role: z.enum(["admin", "viewer"], { error: 'Role must be "admin" or "viewer"' }),
});
export type UserInput = z.infer<typeof userInputSchema>;

const toUser = (r: { id: string; username: string; role: User["role"] }): User => ({ id: r.id, username: r.username, role: r.role });

/** Creates a user; 409 when the username is taken. `actor` is who did it, for the audit log. */
export async function createUser(input: UserInput, actor = "system"): Promise<User> {
  const parsed = userInputSchema.parse(input);
  const passwordHash = await hashPassword(parsed.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username: parsed.username, passwordHash, role: parsed.role })
      .onConflictDoNothing({ target: users.username })
      .returning();
    if (!row) throw new ApiError(409, "conflict", `User "${parsed.username}" already exists`, { fields: { username: "This username is taken" } });
    await audit(tx, { actor, action: "user.create", targetType: "user", targetId: row.id, details: { username: row.username, role: row.role } });
    return toUser(row);
  });
}

export async function listUsers(): Promise<User[]> {
  const db = await getDb();
  return (await db.select().from(users).orderBy(asc(users.username))).map(toUser);
}

// Verified when the username is unknown, so that case costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Checks the credentials and opens a session; null when they are wrong. Both outcomes are audited. */
export async function login(username: string, password: string): Promise<{ user: User; token: string } | null> {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  const ok = row
    ? await verifyPassword(row.passwordHash, password)
    : (await verifyPassword(await (dummyHash ??= hashPassword(randomBytes(16).toString("hex"))), password), false);
  if (!row || !ok) {
    await audit(db, { actor: username.slice(0, 64), action: "login.failed", targetType: "user", targetId: row?.id });
    return null;
  }
  await deleteExpiredSessions();
  const token = await createSession(row.id);
  await audit(db, { actor: row.username, action: "login", targetType: "user", targetId: row.id });
  return { user: toUser(row), token };
}

export async function logout(token: string, actor?: string): Promise<void> {
  await deleteSession(token);
  if (actor) await audit(await getDb(), { actor, action: "logout" });
}

function printOnce(username: string, password: string): void {
  const line = `First admin created: username "${username}", password "${password}"`;
  const bar = "─".repeat(line.length + 2);
  // Plain stdout (not the JSON logger) so an operator sees it at a glance; it is never printed again.
  process.stdout.write(`\n┌${bar}┐\n│ ${line} │\n└${bar}┘\n\n`);
}

/**
 * When no user exists, creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD, or `admin` with a random
 * password printed once. Returns the created user, or null when users already existed.
 */
export async function ensureFirstAdmin(): Promise<User | null> {
  const db = await getDb();
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  if (n > 0) return null;
  const fromEnv = Boolean(process.env.ADMIN_PASSWORD);
  const username = process.env.ADMIN_USERNAME || "admin";
  const password = process.env.ADMIN_PASSWORD || randomBytes(12).toString("base64url");
  const parsed = userInputSchema.safeParse({ username, password, role: "admin" });
  if (!parsed.success) {
    throw new Error(`Cannot create the first admin from ADMIN_USERNAME/ADMIN_PASSWORD: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  try {
    const user = await createUser(parsed.data, "system");
    if (!fromEnv) printOnce(username, password);
    return user;
  } catch (err) {
    // Another process created it first: fine, that one printed the password.
    if (err instanceof ApiError && err.code === "conflict") return null;
    throw err;
  }
}
