// Two-step sign-in for every signed-in user (issue 13 asked for admins; a viewer's account is worth protecting
// too): TOTP (RFC 6238, 6 digits, 30 s) with otplib, the authenticator apps' standard.
// Set-up is two steps so a typo in the app cannot lock the admin out: start (a new secret, stored as pending, shown
// once as text and as an otpauth:// URI) → confirm with a first code (the secret becomes active). Turning it off
// needs a current code too. Secrets are encrypted with SECRET_KEY. A code is accepted once: its time step is kept
// and later verifications refuse it or any earlier step (a code seen over a shoulder or in a log cannot be replayed).
// API tokens never manage this (like tokens): only a signed-in user, for their own account. An admin who lost the
// app is reset by another admin (resetTotp, audited), after which the password alone signs in until set up again.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { generateSecret, generateURI, verify } from "otplib";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { getDb, type DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { users } from "@/lib/db/schema";
import { AppError, notFound, parseWith, validationFailed } from "@/lib/errors";
import { totpCodeSchema, type TotpSetup, type TotpStatus } from "./schemas";
import { isUserId, toListedUser, type ListedUser } from "./listed";
import type { User } from "./types";

const ISSUER = "SIP Admin Portal";
/** One step either side: a phone clock a little off, or a code typed as it rolled over. */
const TOLERANCE_S = 30;

type Row = typeof users.$inferSelect;

function signedIn(actor: User): User {
  if (actor.token) throw new AppError("forbidden", "API tokens cannot change two-step sign-in; sign in to the portal to do that");
  return actor;
}

async function rowOf(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw new AppError("unauthenticated", "Sign in first");
  return row;
}

/** The accepted time step of `code` for `secret` (after `lastStep`), or null. */
async function accepted(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const r = await verify({ secret, token: code, epochTolerance: TOLERANCE_S, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  // A TOTP verification's result carries the time step it matched (HOTP's would not; this is always TOTP).
  return r.valid && "timeStep" in r ? r.timeStep : null;
}

const badCode = () => validationFailed({ code: "This code is not valid (or was already used); enter the current one from your authenticator app" });

export async function totpStatus(actor: User): Promise<TotpStatus> {
  const row = await rowOf(await getDb(), actor.id);
  return { enabled: row.totpSecretEnc !== null, pending: row.totpPendingEnc !== null };
}

/** Step 1: a new secret, pending until confirmed (starting again replaces a pending one, never an active one). */
export async function startTotp(actor: User): Promise<TotpSetup> {
  signedIn(actor);
  const db = await getDb();
  const row = await rowOf(db, actor.id);
  if (row.totpSecretEnc) throw new AppError("conflict", "Two-step sign-in is already on; turn it off first to set up a new authenticator");
  const secret = generateSecret();
  await db.update(users).set({ totpPendingEnc: encryptSecret(secret) }).where(eq(users.id, actor.id));
  return { secret, uri: generateURI({ issuer: ISSUER, label: row.username, secret }) };
}

/** Step 2: the first code from the app (`{code}`, checked after who may) turns it on. */
export async function confirmTotp(actor: User, input: unknown): Promise<TotpStatus> {
  signedIn(actor);
  const { code } = parseWith(totpCodeSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const row = await rowOf(tx, actor.id);
    if (!row.totpPendingEnc) throw new AppError("conflict", "Start the set-up first (a new secret)");
    const step = await accepted(decryptSecret(row.totpPendingEnc), code, null);
    if (step === null) throw badCode();
    await tx.update(users).set({ totpSecretEnc: row.totpPendingEnc, totpPendingEnc: null, totpLastStep: step }).where(eq(users.id, actor.id));
    await audit(tx, { actor: row.username, action: "totp.enable", targetType: "user", targetId: row.id });
    return { enabled: true, pending: false };
  });
}

/** Turning it off needs a current code (a session left open is not enough). */
export async function disableTotp(actor: User, input: unknown): Promise<TotpStatus> {
  signedIn(actor);
  const { code } = parseWith(totpCodeSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const row = await rowOf(tx, actor.id);
    if (!row.totpSecretEnc) return { enabled: false, pending: false };
    const step = await accepted(decryptSecret(row.totpSecretEnc), code, row.totpLastStep);
    if (step === null) throw badCode();
    await tx.update(users).set({ totpSecretEnc: null, totpPendingEnc: null, totpLastStep: null }).where(eq(users.id, actor.id));
    await audit(tx, { actor: row.username, action: "totp.disable", targetType: "user", targetId: row.id });
    return { enabled: false, pending: false };
  });
}

/**
 * An admin turns another user's two-step sign-in off (the user lost their authenticator): the secret, a pending
 * set-up and the replay step go; the password alone signs in until they set it up again. 409 when it is not on
 * (nothing is recorded). Audited as `totp.reset`. Not for yourself (turn it off with a code) and not with a token.
 */
export async function resetTotp(actor: User, id: string): Promise<ListedUser> {
  signedIn(actor);
  if (actor.role !== "admin") throw new AppError("forbidden", "Only admins can reset another user's two-step sign-in");
  if (id === actor.id) throw new AppError("validation_failed", "Turn your own two-step sign-in off on the Account page, with a code from your app");
  if (!isUserId(id)) throw notFound("User");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
    if (!row) throw notFound("User");
    if (!row.totpSecretEnc && !row.totpPendingEnc) throw new AppError("conflict", `${row.username} has no two-step sign-in to reset`);
    const [updated] = await tx.update(users).set({ totpSecretEnc: null, totpPendingEnc: null, totpLastStep: null }).where(eq(users.id, id)).returning();
    await audit(tx, { actor: actor.username, action: "totp.reset", targetType: "user", targetId: id, details: { username: row.username, wasOn: row.totpSecretEnc !== null } });
    return toListedUser(updated);
  });
}

/**
 * Sign-in's second step for a user whose password was right: "ok" (and the code's step is used up), "required"
 * when the account has TOTP and no code came, "failed" for a wrong or replayed code.
 */
export async function checkSignInCode(row: Row, code: string | undefined): Promise<"ok" | "required" | "failed"> {
  if (!row.totpSecretEnc) return "ok";
  if (!code) return "required";
  const step = await accepted(decryptSecret(row.totpSecretEnc), code, row.totpLastStep);
  if (step === null) return "failed";
  // Conditional on the step it was checked against: two parallel sign-ins with one code cannot both pass.
  const db = await getDb();
  const updated = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(row.totpLastStep === null ? eq(users.id, row.id) : sql`${users.id} = ${row.id} and ${users.totpLastStep} = ${row.totpLastStep}`)
    .returning({ id: users.id });
  return updated.length ? "ok" : "failed";
}
