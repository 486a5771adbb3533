import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/db";
import { auditLog, sessions, users } from "@/lib/db/schema";
import { useTempDataDir } from "@/tests/support/db";
import { authenticateRequest, createUser, ensureFirstAdmin, hashPassword, login, logout, requireRole, verifyPassword } from "./index";
import { createSession, resolveSession, SESSION_TTL_MS } from "./sessions";

useTempDataDir();

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.ADMIN_USERNAME;
  delete process.env.ADMIN_PASSWORD;
});

const req = (headers: Record<string, string>) => new Request("http://127.0.0.1:3202/api/v1/session", { headers });

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const h = await hashPassword("correct horse");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(h, "correct horse")).toBe(true);
    expect(await verifyPassword(h, "correct hors")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("first admin", () => {
  it("creates admin with a random password printed once when no user exists", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    const user = await ensureFirstAdmin();
    expect(user).toMatchObject({ username: "admin", role: "admin" });
    const printed = out.join("");
    const m = printed.match(/First admin created: username "admin", password "([^"]+)"/);
    expect(m).not.toBeNull();
    expect(printed).toMatch(/┌─+┐/);
    expect(await login("admin", m![1])).not.toBeNull();
    // A second start finds a user and prints nothing.
    out.length = 0;
    expect(await ensureFirstAdmin()).toBeNull();
    expect(out.join("")).toBe("");
  });

  it("uses ADMIN_USERNAME/ADMIN_PASSWORD and prints no password", async () => {
    const db = await getDb();
    await db.delete(users);
    process.env.ADMIN_USERNAME = "root2";
    process.env.ADMIN_PASSWORD = "from-the-env-123";
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    expect(await ensureFirstAdmin()).toMatchObject({ username: "root2", role: "admin" });
    expect(out.join("")).not.toContain("from-the-env-123");
    expect(await login("root2", "from-the-env-123")).not.toBeNull();
  });

  it("refuses a too-short ADMIN_PASSWORD with a clear message", async () => {
    const db = await getDb();
    await db.delete(users);
    process.env.ADMIN_PASSWORD = "short";
    await expect(ensureFirstAdmin()).rejects.toThrow(/ADMIN_PASSWORD.*at least 8/);
  });
});

describe("sessions", () => {
  it("login stores only the token's hash, audits, and the token works as Bearer and as cookie", async () => {
    await createUser({ username: "alice", password: "alice-password", role: "viewer" });
    expect(await login("alice", "wrong-password")).toBeNull();
    expect(await login("nobody", "whatever-pass")).toBeNull();
    const r = await login("alice", "alice-password");
    expect(r).not.toBeNull();
    const db = await getDb();
    const stored = await db.select().from(sessions).where(eq(sessions.userId, r!.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0].id).not.toBe(r!.token);
    expect(stored[0].id).toMatch(/^[0-9a-f]{64}$/);
    expect(await authenticateRequest(req({ authorization: `Bearer ${r!.token}` }))).toMatchObject({ username: "alice", role: "viewer" });
    expect(await authenticateRequest(req({ cookie: `x=1; sap_session=${r!.token}` }))).toMatchObject({ username: "alice" });
    const actions = (await db.select().from(auditLog)).map((a) => `${a.actor}:${a.action}`);
    expect(actions).toEqual(expect.arrayContaining(["alice:login.failed", "nobody:login.failed", "alice:login"]));
  });

  it("rejects missing, unknown and expired tokens with 401", async () => {
    await expect(authenticateRequest(req({}))).rejects.toMatchObject({ code: "unauthenticated" });
    await expect(authenticateRequest(req({ authorization: "Bearer nope" }))).rejects.toMatchObject({ code: "unauthenticated" });
    const [u] = await (await getDb()).select().from(users).where(eq(users.username, "alice"));
    const t0 = new Date(Date.now() - 2 * SESSION_TTL_MS);
    const old = await createSession(u.id, t0);
    await expect(authenticateRequest(req({ authorization: `Bearer ${old}` }))).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("slides the 12 h expiry on use", async () => {
    const [u] = await (await getDb()).select().from(users).where(eq(users.username, "alice"));
    const t0 = new Date("2030-01-01T00:00:00Z");
    const token = await createSession(u.id, t0);
    const at = (h: number) => new Date(t0.getTime() + h * 3600_000);
    expect(await resolveSession(token, at(11))).not.toBeNull(); // used at 11 h → now valid until 23 h
    expect(await resolveSession(token, at(22))).not.toBeNull();
    expect(await resolveSession(token, at(34.5))).toBeNull(); // 12.5 h idle
  });

  it("logout ends the session", async () => {
    const r = await login("alice", "alice-password");
    await logout(r!.token, "alice");
    expect(await resolveSession(r!.token)).toBeNull();
  });
});

describe("roles", () => {
  it("viewers cannot change anything; admins can", () => {
    expect(() => requireRole({ id: "1", username: "v", role: "viewer" }, "admin")).toThrow(AppError);
    expect(() => requireRole({ id: "1", username: "v", role: "viewer" }, "admin")).toThrow("Viewers cannot change anything");
    expect(() => requireRole({ id: "1", username: "a", role: "admin" }, "admin")).not.toThrow();
  });

  it("duplicate usernames are a 409", async () => {
    await expect(createUser({ username: "alice", password: "another-pass", role: "admin" })).rejects.toMatchObject({ code: "conflict" });
  });
});
