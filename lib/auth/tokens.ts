import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import { AppError, notFound } from "@/lib/errors";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { apiTokens, users } from "@/lib/db/schema";
import { tokenInputSchema, type CreatedToken, type ListedToken } from "./schemas";
import { hashToken } from "./sessions";
import type { User } from "./types";

// API tokens for scripts and integrations. A token acts as the admin who created it, limited by its scope:
// "read" = viewer rights (403 on every change), "write" = the creator's role. Only the sha256 of a token is
// stored; it is shown once. Deleting a token revokes it at once (the next request with it is a 401). Tokens are
// managed from a signed-in session only: a leaked token cannot mint itself successors.

/** Every API token starts with this, which is how a Bearer value is told apart from a session token. */
export const API_TOKEN_PREFIX = "sapt_";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function manager(actor: User): User {
  if (actor.token) throw new AppError("forbidden", "API tokens cannot manage tokens; sign in to the portal to do that");
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can manage API tokens");
  return actor;
}

export async function createApiToken(input: unknown, actor: User): Promise<CreatedToken> {
  manager(actor);
  const parsed = tokenInputSchema.parse(input);
  const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ name: parsed.name, scope: parsed.scope, tokenHash: hashToken(token), userId: actor.id, expiresAt: parsed.expiresAt ? new Date(parsed.expiresAt) : null })
      .returning();
    await audit(tx, { actor: actor.username, action: "token.create", targetType: "token", targetId: row.id, details: { name: row.name, scope: row.scope, expiresAt: parsed.expiresAt ?? null } });
    return { id: row.id, token, name: row.name, scope: row.scope, owner: actor.username, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt?.toISOString() ?? null, lastUsedAt: null };
  });
}

export async function listApiTokens(actor: User): Promise<ListedToken[]> {
  manager(actor);
  const db = await getDb();
  const rows = await db
    .select({ t: apiTokens, owner: users.username })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .orderBy(asc(apiTokens.name), asc(apiTokens.createdAt));
  return rows.map(({ t, owner }) => ({
    id: t.id,
    name: t.name,
    scope: t.scope,
    owner,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(id: string, actor: User): Promise<void> {
  manager(actor);
  if (!UUID.test(id)) throw notFound("Token");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(apiTokens).where(eq(apiTokens.id, id)).returning();
    if (!row) throw notFound("Token");
    await audit(tx, { actor: actor.username, action: "token.revoke", targetType: "token", targetId: id, details: { name: row.name, scope: row.scope } });
  });
}

const TOUCH_EVERY_MS = 60_000;

/** The user an API token acts as, or null (unknown, revoked, expired). */
export async function resolveApiToken(token: string, now = new Date()): Promise<User | null> {
  const db = await getDb();
  const [row] = await db
    .select({ t: apiTokens, username: users.username, role: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
    .limit(1);
  if (!row) return null;
  if (!row.t.lastUsedAt || now.getTime() - row.t.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.t.id));
  }
  return {
    id: row.t.userId,
    username: `${row.username} (token ${row.t.name})`,
    role: row.t.scope === "read" ? "viewer" : row.role,
    token: { id: row.t.id, name: row.t.name, scope: row.t.scope },
  };
}
