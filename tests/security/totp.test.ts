// Two-step sign-in (TOTP, issue 13): set-up in two steps, sign-in needs the code once it is on, a code is accepted
// once, a wrong code counts as a failed sign-in, API tokens cannot manage it; any signed-in user may turn it on for
// their own account, and only an admin may reset another user's (audited).
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import * as session from "@/app/api/v1/session/route";
import * as totp from "@/app/api/v1/account/totp/route";
import * as confirm from "@/app/api/v1/account/totp/confirm/route";
import * as disable from "@/app/api/v1/account/totp/disable/route";
import * as tokens from "@/app/api/v1/tokens/route";
import * as users from "@/app/api/v1/users/route";
import * as reset from "@/app/api/v1/users/[id]/totp/reset/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import { resetLoginThrottle } from "@/lib/auth";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const signIn = (body: Record<string, string>) => call(session.POST, "POST", "/session", { body: { username: "root", password: "root-password", ...body } });
// Codes of three consecutive time steps, all within the ±30 s tolerance: set-up takes the previous step's, sign-in
// the current one's, turning it off the next one's (a step once used is refused on purpose).
const codeAt = (secret: string, offsetS: number) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetS });

describe("two-step sign-in", () => {
  let secret = "";

  it("is off by default; API tokens cannot set it up", async () => {
    expect((await call(totp.GET, "GET", "/account/totp", { token: f.admin })).body).toEqual({ enabled: false, pending: false });
    const write = (await call(tokens.POST, "POST", "/tokens", { token: f.admin, body: { name: "script", scope: "write" } })).body.token;
    const byToken = await call(totp.POST, "POST", "/account/totp", { token: write });
    expect(byToken.status).toBe(403);
    expect(byToken.body.error.message).toMatch(/API tokens cannot/);
  });

  it("set-up: a secret, then a wrong code is refused naming the field, the right one turns it on", async () => {
    const start = await call(totp.POST, "POST", "/account/totp", { token: f.admin });
    expect(start.status).toBe(200);
    secret = start.body.secret;
    expect(start.body.uri).toMatch(/^otpauth:\/\/totp\/SIP%20Admin%20Portal:root\?.*secret=/);
    expect((await call(totp.GET, "GET", "/account/totp", { token: f.admin })).body).toEqual({ enabled: false, pending: true });
    // Until confirmed, signing in needs no code.
    expect((await signIn({})).status).toBe(200);
    const wrong = await call(confirm.POST, "POST", "/account/totp/confirm", { token: f.admin, body: { code: "000000" === (await generate({ secret })) ? "111111" : "000000" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields.code).toMatch(/not valid/);
    expect((await call(confirm.POST, "POST", "/account/totp/confirm", { token: f.admin, body: { code: "12345" } })).body.error.fields.code).toBe("Enter the 6-digit code");
    const ok = await call(confirm.POST, "POST", "/account/totp/confirm", { token: f.admin, body: { code: await codeAt(secret, -30) } });
    expect(ok.body).toEqual({ enabled: true, pending: false });
    expect((await call(totp.POST, "POST", "/account/totp", { token: f.admin })).status).toBe(409);
  });

  it("sign-in: the password alone is totp_required (no session, no cookie); a wrong code fails; the right one works once", async () => {
    resetLoginThrottle();
    const noCode = await signIn({});
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe("totp_required");
    expect(noCode.res.headers.get("set-cookie")).toBeNull();
    const wrongPassword = await signIn({ password: "wrong-password" });
    expect(wrongPassword.body.error.code).toBe("invalid_credentials"); // the second step is asked only after the right password
    const code = await codeAt(secret, 0);
    const bad = await signIn({ code: code === "000000" ? "111111" : "000000" });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe("invalid_credentials");
    const good = await signIn({ code });
    expect(good.status).toBe(200);
    expect(good.body.token).toBeTruthy();
    // The same code again (replayed): refused.
    const replay = await signIn({ code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("invalid_credentials");
  });

  it("wrong codes count as failed sign-ins: the source is blocked after LOGIN_MAX_FAILURES", async () => {
    resetLoginThrottle();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn({ code: "000001" })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    resetLoginThrottle();
  });

  it("turning it off needs a current code", async () => {
    expect((await call(disable.POST, "POST", "/account/totp/disable", { token: f.admin, body: { code: "000002" } })).status).toBe(422);
    expect((await call(totp.GET, "GET", "/account/totp", { token: f.admin })).body.enabled).toBe(true);
    const off = await call(disable.POST, "POST", "/account/totp/disable", { token: f.admin, body: { code: await codeAt(secret, 30) } });
    expect(off.body).toEqual({ enabled: false, pending: false });
    expect((await signIn({})).status).toBe(200);
  });

  it("a viewer may turn it on for their own account; an admin resets it (audited), after which the password alone signs in", async () => {
    resetLoginThrottle();
    const start = await call(totp.POST, "POST", "/account/totp", { token: f.viewer });
    expect(start.status).toBe(200);
    const viewerSecret = start.body.secret as string;
    expect((await call(confirm.POST, "POST", "/account/totp/confirm", { token: f.viewer, body: { code: await codeAt(viewerSecret, -30) } })).body).toEqual({ enabled: true, pending: false });
    const vera = (await call(users.GET, "GET", "/users", { token: f.admin })).body.items.find((u: { username: string }) => u.username === "vera");
    expect(vera).toMatchObject({ totp: true });
    const veraSignIn = (code?: string) => call(session.POST, "POST", "/session", { body: { username: "vera", password: "vera-password", ...(code ? { code } : {}) } });
    expect((await veraSignIn()).body.error.code).toBe("totp_required");

    // Only an admin, only with a session (not a token), never for oneself; unknown ids are 404.
    expect((await call(reset.POST, "POST", `/users/${vera.id}/totp/reset`, { token: f.viewer, params: { id: vera.id } })).status).toBe(403);
    const write = (await call(tokens.POST, "POST", "/tokens", { token: f.admin, body: { name: "resetter", scope: "write" } })).body.token;
    expect((await call(reset.POST, "POST", `/users/${vera.id}/totp/reset`, { token: write, params: { id: vera.id } })).status).toBe(403);
    const root = (await call(users.GET, "GET", "/users", { token: f.admin })).body.items.find((u: { username: string }) => u.username === "root");
    expect((await call(reset.POST, "POST", `/users/${root.id}/totp/reset`, { token: f.admin, params: { id: root.id } })).status).toBe(422);
    expect((await call(reset.POST, "POST", "/users/not-a-uuid/totp/reset", { token: f.admin, params: { id: "not-a-uuid" } })).status).toBe(404);
    expect((await veraSignIn()).body.error.code).toBe("totp_required"); // none of those changed anything

    const done = await call(reset.POST, "POST", `/users/${vera.id}/totp/reset`, { token: f.admin, params: { id: vera.id } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: vera.id, username: "vera", totp: false });
    expect((await veraSignIn()).status).toBe(200);
    // Nothing left to reset: 409, and no second audit entry.
    const again = await call(reset.POST, "POST", `/users/${vera.id}/totp/reset`, { token: f.admin, params: { id: vera.id } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/vera has no two-step sign-in/);
    const entries = (await call(auditRoute.GET, "GET", "/audit?action=totp.reset", { token: f.admin })).body.items as Array<{ actor: string; targetId: string; details: Record<string, unknown> }>;
    expect(entries).toEqual([expect.objectContaining({ actor: "root", targetId: vera.id, details: expect.objectContaining({ username: "vera", wasOn: true }) })]);
  });
});
