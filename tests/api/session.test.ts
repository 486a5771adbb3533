import { describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as session from "@/app/api/v1/session/route";
import * as usersRoute from "@/app/api/v1/users/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { useApiFixture } from "./support";

const f = useApiFixture();

describe("/api/v1/session", () => {
  it("signs in: 200 {user, token} with an HttpOnly SameSite=Lax cookie that authenticates", async () => {
    const r = await call(session.POST, "POST", "/session", { body: { username: "root", password: "root-password" } });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: "root", role: "admin" });
    const cookie = r.res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^sap_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure"); // plain http here
    const me = await call(session.GET, "GET", "/session", { cookie: cookie.split(";")[0] });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe("root");
    const again = await call(session.GET, "GET", "/session", { token: r.body.token });
    expect(again.body.user.username).toBe("root");
  });

  it("marks the cookie Secure behind https", async () => {
    const r = await call(session.POST, "POST", "/session", {
      body: { username: "root", password: "root-password" },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(r.res.headers.get("set-cookie")).toContain("Secure");
  });

  it("wrong credentials → 401 invalid_credentials; malformed JSON → 400; missing fields → 422", async () => {
    const bad = await call(session.POST, "POST", "/session", { body: { username: "root", password: "nope-nope" } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { code: "invalid_credentials", message: "Wrong username or password" } });
    const malformed = await call(session.POST, "POST", "/session", { body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("bad_request");
    const missing = await call(session.POST, "POST", "/session", { body: { username: "root" } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields).toHaveProperty("password");
  });

  it("DELETE signs out: the token stops working", async () => {
    const { body } = await call(session.POST, "POST", "/session", { body: { username: "vera", password: "vera-password" } });
    const out = await call(session.DELETE, "DELETE", "/session", { token: body.token });
    expect(out.status).toBe(204);
    expect(out.res.headers.get("set-cookie")).toContain("Max-Age=0");
    const after = await call(session.GET, "GET", "/session", { token: body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthenticated");
  });

  it("refuses a cookie-authenticated change from another origin", async () => {
    const r = await call(usersRoute.POST, "POST", "/users", {
      cookie: `sap_session=${f.admin}`,
      headers: { origin: "http://evil.example" },
      body: { username: "mallory", password: "mallory-pass", role: "admin" },
    });
    expect(r.status).toBe(403);
  });
});

describe("/api/v1/users", () => {
  it("admins create users (201); viewers get 403; bad input 422; duplicate 409", async () => {
    const created = await call(usersRoute.POST, "POST", "/users", { token: f.admin, body: { username: "otto", password: "otto-password", role: "viewer" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), username: "otto", role: "viewer" });
    const dup = await call(usersRoute.POST, "POST", "/users", { token: f.admin, body: { username: "otto", password: "otto-password", role: "viewer" } });
    expect(dup.status).toBe(409);
    const short = await call(usersRoute.POST, "POST", "/users", { token: f.admin, body: { username: "p", password: "short", role: "boss" } });
    expect(short.status).toBe(422);
    expect(short.body.error.fields).toMatchObject({ password: "Password must be at least 8 characters", role: expect.any(String) });
    const viewer = await call(usersRoute.POST, "POST", "/users", { token: f.viewer, body: { username: "x1", password: "x1-password", role: "admin" } });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toEqual({ code: "forbidden", message: "Viewers cannot change anything" });
    const list = await call(usersRoute.GET, "GET", "/users", { token: f.admin });
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(["otto", "root", "vera"]);
    expect(JSON.stringify(list.body)).not.toContain("argon2");
  });

  it("no token → 401", async () => {
    const r = await call(usersRoute.GET, "GET", "/users");
    expect(r.status).toBe(401);
  });
});

describe("/api/v1/openapi.json", () => {
  it("is public and generated from the schemas, including every catalog key", async () => {
    const r = await call(openapi.GET, "GET", "/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(["/session", "/devices", "/devices/{id}", "/devices/{id}/config", "/devices/import"]));
    const schemas = r.body.components.schemas;
    expect(schemas.DeviceInput.required).toEqual(expect.arrayContaining(["name", "address"]));
    expect(schemas.ConfigValues.properties["voip/signalling/sip/proxy_port"]).toMatchObject({ type: "integer", minimum: 1024, maximum: 65535 });
    expect(schemas.Error.properties.error.properties).toHaveProperty("fields");
  });
});
