import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { AppError, notFound } from "@/lib/errors";
import { getDb, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { audit } from "@/lib/db/audit";
import { sessions, users } from "@/lib/db/schema";
import { hashPassword, verifyPassword } from "./password";
import { createSession, deleteExpiredSessions, deleteSession } from "./sessions";
import { checkSignInCode } from "./totp";
import type { User } from "./types";
import { isUserId, toListedUser, toUser, type ListedUser } from "./listed";
import { userInputSchema, userPatchSchema, type UserInput, type UserPatch } from "./user-input";

export { userInputSchema, userPatchSchema, type UserInput, type UserPatch };

export type { ListedUser };

/** Creates a user; 409 when the username is taken. `actor` is who did it, for the audit log. */
export async function createUser(input: UserInput, actor = "system"): Promise<User> {
  const parsed = userInputSchema.parse(input);
  const passwordHash = await hashPassword(parsed.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username: parsed.username, passwordHash, role: parsed.role })
      // Any unique violation, including users_username_lower_idx: "Alice" when "alice" exists.
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("conflict", `User "${parsed.username}" already exists (usernames are not case-sensitive)`, { fields: { username: "This username is taken" } });
    await audit(tx, { actor, action: "user.create", targetType: "user", targetId: row.id, details: { username: row.username, role: row.role } });
    return toUser(row);
  });
}

export async function listUsers(): Promise<ListedUser[]> {
  const db = await getDb();
  return (await db.select().from(users).orderBy(asc(users.username))).map(toListedUser);
}

const lastAdmin = (what: string) =>
  new AppError("conflict", `${what}: at least one admin must remain. Make another user an admin first.`);

/**
 * Locks every admin row and the target, so two concurrent demotions/deletions cannot both see "another admin
 * remains" (FOR UPDATE re-checks the role after waiting, so a row demoted meanwhile drops out).
 */
async function otherAdmins(tx: Tx, id: string): Promise<number> {
  const rows = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), ne(users.id, id))).for("update");
  return rows.length;
}

/**
 * Changes a user's role and/or password. 404 unknown user; 409 when it would leave no admin. A new password ends
 * the user's sessions. Audited as `user.update` (which fields changed; never the password).
 */
export async function updateUser(id: string, patch: UserPatch, actor: string): Promise<ListedUser> {
  if (!isUserId(id)) throw notFound("User");
  const parsed = userPatchSchema.parse(patch);
  const passwordHash = parsed.password !== undefined ? await hashPassword(parsed.password) : undefined;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!old) throw notFound("User");
    if (old.role === "admin" && parsed.role === "viewer" && (await otherAdmins(tx, id)) === 0) {
      throw lastAdmin(`"${old.username}" is the last admin and cannot be made a viewer`);
    }
    const set: Partial<typeof users.$inferInsert> = {};
    if (parsed.role !== undefined) set.role = parsed.role;
    if (passwordHash !== undefined) set.passwordHash = passwordHash;
    const [row] = Object.keys(set).length ? await tx.update(users).set(set).where(eq(users.id, id)).returning() : [old];
    if (passwordHash !== undefined) await tx.delete(sessions).where(eq(sessions.userId, id));
    const details: Record<string, unknown> = { username: old.username };
    if (parsed.role !== undefined) details.role = { from: old.role, to: row.role };
    if (passwordHash !== undefined) details.passwordChanged = true;
    await audit(tx, { actor, action: "user.update", targetType: "user", targetId: id, details });
    return toListedUser(row);
  });
}

/** Deletes a user and (by cascade) their sessions. Refuses deleting yourself (422) and the last admin (409). */
export async function deleteUser(id: string, actor: User): Promise<void> {
  if (!isUserId(id)) throw notFound("User");
  if (id === actor.id) throw new AppError("validation_failed", "You cannot delete your own account; ask another admin to do it");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [old] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!old) throw notFound("User");
    if (old.role === "admin" && (await otherAdmins(tx, id)) === 0) throw lastAdmin(`"${old.username}" is the last admin and cannot be deleted`);
    await tx.delete(sessions).where(eq(sessions.userId, id));
    await tx.delete(users).where(eq(users.id, id));
    await audit(tx, { actor: actor.username, action: "user.delete", targetType: "user", targetId: id, details: { username: old.username, role: old.role } });
  });
}

// Verified when the username is unknown, so that case costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Checks the credentials and opens a session; null when they are wrong. Both outcomes are audited. */
/**
 * Password (and, for accounts with two-step sign-in, `code`) → a new session; null when wrong. The right password
 * without the code throws totp_required (401), so the client asks for it; nothing is created.
 */
export async function login(username: string, password: string, code?: string): Promise<{ user: User; token: string } | null> {
  const db = await getDb();
  // Usernames are unique case-insensitively (users_username_lower_idx), so this finds at most one.
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`).limit(1);
  const ok = row
    ? await verifyPassword(row.passwordHash, password)
    : (await verifyPassword(await (dummyHash ??= hashPassword(randomBytes(16).toString("hex"))), password), false);
  if (!row || !ok) {
    await audit(db, { actor: username.slice(0, 64), action: "login.failed", targetType: "user", targetId: row?.id });
    return null;
  }
  const second = await checkSignInCode(row, code);
  if (second === "required") throw new AppError("totp_required", "Enter the 6-digit code from your authenticator app");
  if (second === "failed") {
    await audit(db, { actor: row.username, action: "login.failed", targetType: "user", targetId: row.id, details: { reason: "totp" } });
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
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD } = env();
  const fromEnv = ADMIN_PASSWORD !== undefined;
  const password = ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
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
    if (err instanceof AppError && err.code === "conflict") return null;
    throw err;
  }
}
