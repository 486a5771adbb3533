// API tokens: created once-shown and hashed, read scope refused on every change, revoked → 401 at once, named
// in the audit log, managed only from a signed-in admin session.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as tokens from "@/app/api/v1/tokens/route";
import * as oneToken from "@/app/api/v1/tokens/[id]/route";
import * as list from "@/app/api/v1/devices/route";
import * as one from "@/app/api/v1/devices/[id]/route";
import * as users from "@/app/api/v1/users/route";
import { call } from "@/tests/support/api";
import { getDb } from "@/lib/db";
import { apiTokens, auditLog } from "@/lib/db/schema";
import { useApiFixture } from "../api/support";

const f = useApiFixture();

const create = (body: unknown, token = f.admin) => call(tokens.POST, "POST", "/tokens", { token, body });

describe("API tokens", () => {
  it("POST → 201 {id, token} shown once, stored hashed; GET lists without values", async () => {
    const r = await create({ name: "ci", scope: "write" });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^sapt_[A-Za-z0-9_-]{43}$/), name: "ci", scope: "write", owner: "root", expiresAt: null });
    const [row] = await (await getDb()).select().from(apiTokens).where(eq(apiTokens.id, r.body.id));
    expect(row.tokenHash).not.toContain(r.body.token);
    expect(JSON.stringify(row)).not.toContain(r.body.token.slice(5));
    const got = await call(tokens.GET, "GET", "/tokens", { token: f.admin });
    expect(got.status).toBe(200);
    expect(got.body.tokens.map((t: { name: string }) => t.name)).toContain("ci");
    expect(JSON.stringify(got.body)).not.toContain(r.body.token);
  });

  it("a write token changes things, audited by its name; revoking it is a 401 at once", async () => {
    const { body } = await create({ name: "deploy", scope: "write" });
    const made = await call(list.POST, "POST", "/devices", { token: body.token, body: { name: "Tok 1", address: "127.68.202.1:80" } });
    expect(made.status).toBe(201);
    const [entry] = await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, made.body.id));
    expect(entry.actor).toBe("root (token deploy)");
    expect((await call(oneToken.DELETE, "DELETE", `/tokens/${body.id}`, { token: f.admin, params: { id: body.id } })).status).toBe(204);
    const after = await call(list.GET, "GET", "/devices", { token: body.token });
    expect(after.status).toBe(401);
    expect((await call(oneToken.DELETE, "DELETE", `/tokens/${body.id}`, { token: f.admin, params: { id: body.id } })).status).toBe(404);
  });

  it("a read token reads, and gets 403 on every change", async () => {
    const { body } = await create({ name: "dashboards", scope: "read" });
    expect((await call(list.GET, "GET", "/devices", { token: body.token })).status).toBe(200);
    const made = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Tok 2", address: "127.68.202.2:80" } });
    const id = made.body.id;
    expect((await call(list.POST, "POST", "/devices", { token: body.token, body: { name: "Tok 3", address: "127.68.202.3:80" } })).status).toBe(403);
    expect((await call(one.PATCH, "PATCH", `/devices/${id}`, { token: body.token, params: { id }, body: { name: "x" } })).status).toBe(403);
    expect((await call(one.DELETE, "DELETE", `/devices/${id}`, { token: body.token, params: { id } })).status).toBe(403);
    expect((await call(users.POST, "POST", "/users", { token: body.token, body: { username: "tokuser", password: "password-1", role: "admin" } })).status).toBe(403);
  });

  it("tokens cannot manage tokens; viewers cannot either; bad input is a clear 422", async () => {
    const { body } = await create({ name: "bot", scope: "write" });
    const minted = await create({ name: "child", scope: "write" }, body.token);
    expect(minted.status).toBe(403);
    expect(minted.body.error.message).toMatch(/API tokens cannot manage tokens/);
    expect((await call(tokens.GET, "GET", "/tokens", { token: body.token })).status).toBe(403);
    expect((await create({ name: "v", scope: "read" }, f.viewer)).status).toBe(403);
    for (const [input, field] of [
      [{ name: "", scope: "read" }, "name"],
      [{ name: "x", scope: "admin" }, "scope"],
      [{ name: "x", scope: "read", expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "x", scope: "read", expiresAt: "tomorrow" }, "expiresAt"],
      [{ name: "x\n", scope: "read", role: "admin" }, "role"],
      [{ name: "a\u202eb", scope: "read" }, "name"],
    ] as const) {
      const r = await create(input);
      expect(r.status, JSON.stringify(input)).toBe(422);
      expect(Object.keys(r.body.error.fields), JSON.stringify(input)).toContain(field);
    }
  });

  it("an expired token is a 401", async () => {
    const { body } = await create({ name: "short", scope: "read", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await (await getDb()).update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, body.id));
    expect((await call(list.GET, "GET", "/devices", { token: body.token })).status).toBe(401);
  });
});
