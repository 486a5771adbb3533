// Issue 13 holes 1, 2, 5, 8, 9 at the route-handler level: body limits on the stream, JSON shape limits,
// safe `next`, the cross-site check, malformed credentials, no-store.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import * as session from "@/app/api/v1/session/route";
import * as list from "@/app/api/v1/devices/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import { safeNext } from "@/app/login/safe-next";
import { checkJsonShape } from "@/lib/api/body";
import { call } from "@/tests/support/api";
import { login } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { devices } from "@/lib/db/schema";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const count = async () => (await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(devices))[0].n;

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ctx = { params: Promise.resolve({}) };

/** A body the client streams without Content-Length (chunked); counts how much of it the server pulled. */
function streamed(parts: () => Iterator<string>, headers: Record<string, string> = {}) {
  const it = parts();
  const enc = new TextEncoder();
  const state = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const n = it.next();
      if (n.done) c.close();
      else {
        state.pulled += n.value.length;
        c.enqueue(enc.encode(n.value));
      }
    },
  });
  const init = { method: "POST", headers, body, duplex: "half" } as RequestInit;
  return { init, state };
}

afterEach(() => {
  delete process.env.BODY_LIMIT_IMPORT;
  delete process.env.TRUST_PROXY;
});

describe("hole 1: a huge body is refused before parsing (413), on the stream", () => {
  it("10 MB of '[' to the sign-in: 413 after reading at most the limit", async () => {
    const { init, state } = streamed(function* () {
      for (let i = 0; i < 160; i++) yield "[".repeat(65536);
    });
    const res = await (session.POST as Route)(new Request("http://127.0.0.1/api/v1/session", init), ctx);
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: "payload_too_large", message: "The request body can be at most 8 KB here" });
    expect(state.pulled).toBeLessThan(200_000);
  });

  it("a declared Content-Length over the limit is refused without reading", async () => {
    const r = await call(session.POST, "POST", "/session", { text: "x".repeat(9000), headers: { "content-type": "application/json" } });
    expect(r.status).toBe(413);
  });

  it("deep nesting and key floods are 400 before JSON.parse", async () => {
    const deep = await call(list.POST, "POST", "/devices", { token: f.admin, text: "[".repeat(33) + "]".repeat(33) });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/nested more than 32/);
    const keys = "{" + Array.from({ length: 20_001 }, (_, i) => `"k${i}":1`).join(",") + "}";
    const flood = await call(list.POST, "POST", "/devices", { token: f.admin, text: keys });
    expect(flood.status).toBe(400);
    expect(flood.body.error.message).toMatch(/more than 20000 keys/);
    expect(() => checkJsonShape('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"{{{{"}')).not.toThrow();
  });
});

describe("hole 5: no truncated body is ever processed", () => {
  it("a chunked CSV import of valid rows, padding, then a bad row is 413 and imports nothing", async () => {
    process.env.BODY_LIMIT_IMPORT = String(256 * 1024);
    const before = await count();
    const { init } = streamed(function* () {
      yield "name,address\nOk,127.68.200.1:80\n";
      for (let i = 0; i < 8; i++) yield `#${"x".repeat(65536)}\n`;
      yield "Bad,not-an-address\n";
    }, { authorization: `Bearer ${f.admin}`, "content-type": "text/csv" });
    const res = await (importRoute.POST as Route)(new Request("http://127.0.0.1/api/v1/devices/import", init), ctx);
    expect(res.status).toBe(413);
    expect(await count()).toBe(before);
  });

  it("a body shorter than its Content-Length is not processed", async () => {
    const before = await count();
    const { init } = streamed(function* () {
      yield "name,address\nOk,127.68.200.2:80\n";
    }, { authorization: `Bearer ${f.admin}`, "content-type": "text/csv", "content-length": "5000" });
    const res = await (importRoute.POST as Route)(new Request("http://127.0.0.1/api/v1/devices/import", init), ctx);
    expect(res.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("Latin-1 bytes are refused clearly, not stored as U+FFFD", async () => {
    const body = new Uint8Array([...new TextEncoder().encode("name,address\nK"), 0xf6, ...new TextEncoder().encode("ln,127.68.200.3:80\n")]);
    const res = await (importRoute.POST as Route)(
      new Request("http://127.0.0.1/api/v1/devices/import", { method: "POST", headers: { authorization: `Bearer ${f.admin}` }, body }),
      ctx,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/not UTF-8 text \(invalid byte 0xf6 at offset 14\)/);
  });
});

describe("hole 2: next= accepts only same-site paths", () => {
  it.each([
    ["/\t/evil.example/phish"],
    ["/\n/evil.example"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["\\\\evil.example"],
    ["https://evil.example/"],
    ["javascript:alert(1)"],
    ["/login?next=/x"],
    ["/ /evil"],
    ["/\u0000x"],
    ["devices"],
    [""],
  ])("%j → /devices", (next) => expect(safeNext(next)).toBe("/devices"));
  it("keeps an ordinary path with query and hash", () => {
    expect(safeNext("/devices/abc?tab=config#sip")).toBe("/devices/abc?tab=config#sip");
    expect(safeNext("/audit?actor=%0a")).toBe("/audit?actor=%0a");
  });
});

describe("hole 8: cookie-authenticated mutations must be same-origin", () => {
  const post = (headers: Record<string, string>) =>
    call(list.POST, "POST", "/devices", { body: { name: "X-site", address: "127.68.201.1:80" }, headers });
  const cookie = () => ({ cookie: `sap_session=${f.admin}` });

  it("no Origin (even with a cross-site Referer) → 403", async () => {
    expect((await post({ ...cookie() })).status).toBe(403);
    expect((await post({ ...cookie(), referer: "http://evil.example/" })).status).toBe(403);
  });
  it("Origin evil + any Authorization that is not a valid Bearer → refused", async () => {
    expect((await post({ ...cookie(), origin: "http://evil.example", authorization: "Basic Zm9vOmJhcg==" })).status).toBe(401);
    expect((await post({ ...cookie(), origin: "http://evil.example", authorization: "Bearer not-a-session" })).status).toBe(401);
  });
  it("Origin evil + X-Forwarded-Host evil → 403 (X-Forwarded-Host only counts with TRUST_PROXY)", async () => {
    expect((await post({ ...cookie(), origin: "http://evil.example", "x-forwarded-host": "evil.example" })).status).toBe(403);
  });
  it("Sec-Fetch-Site cross-site → 403; same-origin Origin or Sec-Fetch-Site → allowed; Bearer → allowed", async () => {
    expect((await post({ ...cookie(), "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ ...cookie(), origin: "http://127.0.0.1:3202" })).status).toBe(201);
    const r = await call(list.POST, "POST", "/devices", { body: { name: "X-site 2", address: "127.68.201.2:80" }, headers: { ...cookie(), "sec-fetch-site": "same-origin" } });
    expect(r.status).toBe(201);
    const b = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X-site 3", address: "127.68.201.3:80" }, headers: { origin: "http://evil.example" } });
    expect(b.status).toBe(201);
  });
  it("behind a trusted proxy, X-Forwarded-Host is the site", async () => {
    process.env.TRUST_PROXY = "1";
    const r = await call(list.POST, "POST", "/devices", {
      body: { name: "X-site 4", address: "127.68.201.4:80" },
      headers: { ...cookie(), origin: "https://portal.example", "x-forwarded-host": "portal.example" },
    });
    expect(r.status).toBe(201);
  });
});

describe("hole 9: a broken cookie with a malformed Authorization header is a 401, not a 500", () => {
  it.each([["Bearer x y"], ["Bearer"], ["Basic x"], ["bearer \u0001"]])("%j", async (authorization) => {
    const r = await call(list.GET, "GET", "/devices", { headers: { authorization, cookie: "sap_session=%E0%A4%A" } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unauthenticated");
  });
  it("a broken cookie alone is 401", async () => {
    const r = await call(list.GET, "GET", "/devices", { headers: { cookie: "sap_session=%E0%A4%A" } });
    expect(r.status).toBe(401);
  });
});

describe("hole 7 (API part): replies are Cache-Control: no-store", () => {
  it("JSON replies and errors", async () => {
    const ok = await call(list.GET, "GET", "/devices", { token: f.admin });
    expect(ok.res.headers.get("cache-control")).toBe("no-store");
    const bad = await call(list.GET, "GET", "/devices", {});
    expect(bad.res.headers.get("cache-control")).toBe("no-store");
    // A sign-in still works for an API client without cookie or Origin (curl).
    expect((await login("root", "root-password"))?.token).toBeTruthy();
    const s = await call(session.POST, "POST", "/session", { body: { username: "root", password: "root-password" } });
    expect(s.status).toBe(200);
  });
});
