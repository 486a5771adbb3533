// Issue 13: a corpus of bad inputs against the REST API. Every one must be a clear 4xx (422 naming the field, or
// 400/413 for a body that is not acceptable JSON/CSV at all), never a 500, and change nothing — checked in the
// portal (rows, revisions, audit) and on the phone (its revision, read straight from the emulator).
// Loopback: phones 127.68.1.x:8080, emulator control 127.68.0.1:8080 (helper i13-sec's range).
import { sql } from "drizzle-orm";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as cfgPreviewRoute from "@/app/api/v1/devices/[id]/config.cfg/preview/route";
import * as usersRoute from "@/app/api/v1/users/route";
import * as userRoute from "@/app/api/v1/users/[id]/route";
import * as sessionRoute from "@/app/api/v1/session/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import * as previewRoute from "@/app/api/v1/jobs/preview/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import { call } from "@/tests/support/api";
import { resetLoginThrottle } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { closeDeviceClients } from "@/lib/device";
import { EDITABLE_PARAMS, isApplicable, type ParamDef } from "@/lib/params";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const USER = "admin";
const PASS = "pw-68";

type Route = Parameters<typeof call>[0];
interface Case {
  what: string;
  /** JSON value (serialized), or raw text when `text` is set. */
  body?: unknown;
  text?: string;
  /** The field the 422 must name; omitted for body-level refusals (400/413). */
  field?: string;
}

let fleet: Emulator;
let deviceId = "";
let phoneIp = "";
let userId = "";

/** Everything a refused request must leave untouched, as one comparable snapshot. */
async function portalState(): Promise<string> {
  const db = await getDb();
  const q = async (query: ReturnType<typeof sql>) => JSON.stringify(((await db.execute(query)) as unknown as { rows: unknown[] }).rows);
  return [
    await q(sql`select id, name, address, username, password_enc, site, tags, updated_at from devices order by id`),
    await q(sql`select device_id, revision, values, state from device_configs order by device_id`),
    await q(sql`select count(*)::int as n from config_snapshots`),
    await q(sql`select count(*)::int as n from audit_log where action not like 'login%'`),
    await q(sql`select id, username, role, password_hash from users order by id`),
    await q(sql`select count(*)::int as n from api_tokens`),
    await q(sql`select count(*)::int as n from push_jobs`),
  ].join("\n");
}

async function phoneRevision(): Promise<number> {
  const auth = Buffer.from(`${USER}:${PASS}`).toString("base64");
  const res = await request(`http://${phoneIp}:8080/api/v1/config`, { headers: { authorization: `Basic ${auth}` } });
  return ((await res.body.json()) as { revision: number }).revision;
}

let total = 0;

/** Runs every case through one route and checks the contract; returns nothing (assertions inside). */
async function refuses(route: Route, method: string, path: string, cases: Case[], opts: { params?: Record<string, string>; token?: () => string; csv?: boolean } = {}) {
  for (const c of cases) {
    total++;
    const before = await portalState();
    const r = await call(route, method, path, {
      token: (opts.token ?? (() => f.admin))(),
      params: opts.params,
      ...(c.text !== undefined ? { text: c.text, headers: { "content-type": opts.csv ? "text/csv" : "application/json" } } : { body: c.body === undefined ? undefined : JSON.stringify(c.body) }),
    });
    const label = `${method} ${path}: ${c.what} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
    expect(r.status, label).toBeGreaterThanOrEqual(400);
    expect(r.status, label).toBeLessThan(500);
    expect(r.body?.error?.message, label).toEqual(expect.any(String));
    if (c.field !== undefined) {
      expect(r.status, label).toBe(422);
      const named = [...Object.keys(r.body.error.fields ?? {}), ...(r.body.error.rows ?? []).map((x: { field: string }) => x.field)];
      expect(named.some((k) => k === c.field || k.startsWith(`${c.field}.`)), label).toBe(true);
    }
    expect(await portalState(), `${label}: nothing may change`).toBe(before);
  }
}

const BIG = "x".repeat(10_000);
// Strings that are wrong for a name/label field: control characters, invisible ones, oversize, wrong types.
const badText = (max: number): [string, unknown][] => [
  ["NUL", "a\u0000b"],
  ["CR LF", "a\r\nb"],
  ["LF injection", "ok\nvoip/x=1"],
  ["ESC", "\u001b[31mred"],
  ["DEL", "a\u007f"],
  ["RTL override", "abc\u202Etxt.exe"],
  ["zero-width space", "a\u200Bb"],
  ["BOM inside", "a\uFEFFb"],
  ["line separator", "a\u2028b"],
  [`${max + 1} chars`, "n".repeat(max + 1)],
  ["10k chars", BIG],
  ["number", 42],
  ["array", ["a"]],
  ["object", { a: 1 }],
  ["boolean", true],
];

beforeAll(async () => {
  fleet = await startFleet({ devices: 2, firstIp: "127.68.1.1", httpPort: 8080, username: USER, password: PASS, sip: false, controlHost: "127.68.0.1", controlPort: 8080 });
  phoneIp = fleet.devices[0].identity.ip;
  const made = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "Corpus phone", address: `${phoneIp}:8080`, username: USER, password: PASS } });
  expect(made.status).toBe(201);
  deviceId = made.body.id;
  // The portal has read the phone once, so an edit is validated against its real values.
  const synced = await call(syncRoute.POST, "POST", `/devices/${deviceId}/sync`, { token: f.admin, params: { id: deviceId } });
  expect(synced.status, JSON.stringify(synced.body)).toBe(200);
  const u = await call(usersRoute.GET, "GET", "/users", { token: f.admin });
  userId = u.body.items.find((x: { username: string }) => x.username === "vera").id;
});
afterAll(async () => {
  await closeDeviceClients();
  await fleet?.stop();
  // The issue asks for at least 250 bad inputs; this file must keep that many.
  expect(total).toBeGreaterThanOrEqual(250);
});

describe("bad inputs → clear 4xx naming the field, nothing changed", { timeout: 600_000 }, () => {
  it("POST /devices", async () => {
    const ok = { name: "New phone", address: "127.68.9.9:80" };
    const cases: Case[] = [
      ...badText(100).map(([what, v]) => ({ what: `name ${what}`, body: { ...ok, name: v }, field: "name" })),
      { what: "name empty", body: { ...ok, name: "" }, field: "name" },
      { what: "name whitespace", body: { ...ok, name: "   \t " }, field: "name" },
      { what: "name missing", body: { address: ok.address }, field: "name" },
      ...[
        "127.68.9.9",
        "127.68.9.9:",
        ":80",
        "127.68.9.9:0",
        "127.68.9.9:65536",
        "127.68.9.9:99999",
        "127.68.9.9:-1",
        "127.68.9.9:8a",
        "300.1.1.1:80",
        "1.2.3:80",
        "http://127.68.9.9:80",
        "127.68.9.9:80/path",
        "a b:80",
        "evil\r\n:80",
        "１２７.0.0.1:80",
        "127.0.0.1:８０",
        "-bad-.example:80",
        "a..b:80",
        `${"a".repeat(64)}.example:80`,
        "<script>:80",
        "'; drop table devices; --:80",
        "",
      ].map((address) => ({ what: `address ${JSON.stringify(address)}`, body: { ...ok, address }, field: "address" })),
      { what: "address number", body: { ...ok, address: 8080 }, field: "address" },
      { what: "address array", body: { ...ok, address: ["1.2.3.4:80"] }, field: "address" },
      ...badText(64).filter(([w]) => !/^(number|array|object|boolean)$/.test(w) || w === "number").map(([what, v]) => ({ what: `username ${what}`, body: { ...ok, username: v }, field: "username" })),
      { what: "password NUL", body: { ...ok, password: "a\u0000" }, field: "password" },
      { what: "password 129 chars", body: { ...ok, password: "p".repeat(129) }, field: "password" },
      { what: "password number", body: { ...ok, password: 1234 }, field: "password" },
      { what: "password is the mask", body: { ...ok, password: "********" }, field: "password" },
      ...badText(100).map(([what, v]) => ({ what: `site ${what}`, body: { ...ok, site: v }, field: "site" })),
      { what: "tags string", body: { ...ok, tags: "a;b" }, field: "tags" },
      { what: "tags 21", body: { ...ok, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, field: "tags" },
      { what: "tag with comma", body: { ...ok, tags: ["a,b"] }, field: "tags" },
      { what: "tag empty", body: { ...ok, tags: [""] }, field: "tags" },
      { what: "tag 41 chars", body: { ...ok, tags: ["t".repeat(41)] }, field: "tags" },
      { what: "tag NUL", body: { ...ok, tags: ["a\u0000"] }, field: "tags" },
      { what: "tag number", body: { ...ok, tags: [1] }, field: "tags" },
      { what: "unknown key", body: { ...ok, color: "red" }, field: "color" },
      { what: "__proto__ key", text: JSON.stringify(ok).replace("{", '{"__proto__":{"admin":true},'), field: "__proto__" },
      { what: "constructor key", body: { ...ok, constructor: { prototype: { x: 1 } } }, field: "constructor" },
      { what: "id key", body: { ...ok, id: "00000000-0000-4000-8000-000000000000" }, field: "id" },
      { what: "array body", body: [ok] },
      { what: "null body", text: "null" },
      { what: "string body", text: '"device"' },
      { what: "number body", text: "1e999" },
      { what: "truncated JSON", text: '{"name":"x","address":"1.2.3.4:80"' },
      { what: "single quotes", text: "{'name':'x'}" },
      { what: "trailing comma", text: '{"name":"x",}' },
      { what: "NaN literal", text: '{"name":NaN}' },
      { what: "empty body", text: "" },
      { what: "whitespace body", text: " \n\t" },
      { what: "deeply nested", text: `{"name":${"[".repeat(40)}${"]".repeat(40)}}` },
      { what: "oversize body", text: JSON.stringify({ ...ok, site: "s".repeat(600 * 1024) }) },
    ];
    await refuses(devicesRoute.POST, "POST", "/devices", cases);
  });

  it("PATCH /devices/<id>", async () => {
    const cases: Case[] = [
      ...badText(100).map(([what, v]) => ({ what: `name ${what}`, body: { name: v }, field: "name" })),
      { what: "name empty", body: { name: "" }, field: "name" },
      { what: "address port 0", body: { address: "127.68.1.1:0" }, field: "address" },
      { what: "address CRLF", body: { address: "127.68.1.1:80\r\nX: y" }, field: "address" },
      { what: "address taken by nobody but bad host", body: { address: "under_score:80" }, field: "address" },
      { what: "tags object", body: { tags: { a: 1 } }, field: "tags" },
      { what: "unknown key", body: { hasPassword: false }, field: "hasPassword" },
      { what: "prototype key", body: { prototype: 1 }, field: "prototype" },
      { what: "array body", body: [] },
    ];
    await refuses(deviceRoute.PATCH, "PATCH", `/devices/${deviceId}`, cases, { params: { id: deviceId } });
  });

  it("PATCH /devices/<id>/config: every parameter's range edges and wrong types", async () => {
    const current = (await call(configRoute.GET, "GET", `/devices/${deviceId}/config`, { token: f.admin, params: { id: deviceId } })).body.values as Record<string, unknown>;
    const phoneBefore = await phoneRevision();
    const cases: Case[] = [];
    const applicable = EDITABLE_PARAMS.filter((p) => isApplicable(p, current));
    const bad = (p: ParamDef): [string, unknown][] => {
      switch (p.type) {
        case "integer":
        case "port":
          return [
            ...(p.min !== undefined ? [[`min-1 (${p.min - 1})`, p.min - 1] as [string, unknown]] : []),
            ...(p.max !== undefined ? [[`max+1 (${p.max + 1})`, p.max + 1] as [string, unknown]] : []),
            ["fraction", (p.min ?? 0) + 0.5],
            ["numeric string", String(p.default)],
            ["huge", 1e300],
            ["boolean", true],
            ["array", [p.default]],
          ];
        case "boolean":
          return [["2", 2], ["-1", -1], ["true", true], ['"1"', "1"], ['"on"', "on"]];
        case "enum":
          return [["unknown option", "carrier-pigeon"], ["number 999", 999], ["object", { value: p.default }]];
        case "password":
          return [["CR LF", "a\r\nb"], ["NUL", "a\u0000"], ["number", 1234]];
        default:
          return [
            ["CR LF =", "evil.example\r\nvoip/signalling/sip/proxy_port=1"],
            ["NUL", "a\u0000b"],
            ["10k chars", BIG],
            ["number", 5060],
            ["object", { a: 1 }],
          ];
      }
    };
    for (const p of applicable) for (const [what, v] of bad(p)) cases.push({ what: `${p.key} ${what}`, body: { values: { [p.key]: v } }, field: p.key });
    cases.push(
      { what: "unknown key", body: { values: { "voip/evil": 1 } }, field: "voip/evil" },
      { what: "__proto__ key", text: '{"values":{"__proto__":{"x":1}}}', field: "__proto__" },
      { what: "constructor key", body: { values: { constructor: 1 } }, field: "constructor" },
      { what: "values array", body: { values: [1] }, field: "values" },
      { what: "values string", body: { values: "x=1" }, field: "values" },
      { what: "values missing", body: {}, field: "values" },
      { what: "revision negative", body: { values: {}, revision: -1 }, field: "revision" },
      { what: "revision string", body: { values: {}, revision: "1" }, field: "revision" },
      { what: "Infinity literal", text: '{"values":{"voip/signalling/sip/port":1e999}}', field: "voip/signalling/sip/port" },
    );
    expect(cases.length).toBeGreaterThan(150);
    await refuses(configRoute.PATCH, "PATCH", `/devices/${deviceId}/config`, cases, { params: { id: deviceId } });
    // Nothing reached the phone.
    expect(await phoneRevision()).toBe(phoneBefore);
  });

  it("POST /devices/import: malformed CSV", async () => {
    const cases: Case[] = [
      { what: "only a header", text: "name,address\n" },
      { what: "empty", text: "" },
      { what: "unknown column", text: "name,address,colour\nA,127.68.8.1:80,red\n", field: "colour" },
      { what: "duplicate column", text: "name,address,name\nA,127.68.8.1:80,B\n", field: "name" },
      { what: "missing address column", text: "name\nA\n", field: "address" },
      { what: "too many cells", text: "name,address\nA,127.68.8.1:80,extra\n", field: "_" },
      { what: "unbalanced quote", text: 'name,address\n"A,127.68.8.1:80\n' },
      { what: "bad address row", text: "name,address\nA,127.68.8.1:80\nB,nope\n", field: "address" },
      { what: "duplicate address rows", text: "name,address\nA,127.68.8.1:80\nB,127.68.8.1:80\n", field: "address" },
      { what: "NUL in a name", text: "name,address\nA\u0000,127.68.8.1:80\n", field: "name" },
      { what: "CR in a quoted name", text: 'name,address\n"A\rB",127.68.8.1:80\n', field: "name" },
      { what: "semicolon-delimited", text: "name;address\nA;127.68.8.1:80\n" },
      { what: "tab-delimited", text: "name\taddress\nA\t127.68.8.1:80\n" },
      { what: "formula name is fine but bad address", text: "name,address\n=HYPERLINK(\"http://evil\"),x\n", field: "address" },
      { what: "password is the mask", text: "name,address,password\nA,127.68.8.1:80,********\n", field: "password" },
    ];
    await refuses(importRoute.POST, "POST", "/devices/import", cases, { csv: true });
  });

  it("POST /devices/<id>/config.cfg/preview: malformed files are refused or listed, never stored", async () => {
    const before = await portalState();
    for (const text of ["no equals sign\n", "voip/evil=1\n", "a=1\na=2\n", "voip/signalling/sip/port=99999\n", "=value\n", "voip/signalling/sip/port=1\u0000\n"]) {
      total++;
      const r = await call(cfgPreviewRoute.POST, "POST", `/devices/${deviceId}/config.cfg/preview`, { token: f.admin, params: { id: deviceId }, text });
      expect(r.status, text).toBeLessThan(500);
      if (r.status === 200) expect(r.body.errors?.length ?? Object.keys(r.body.errors ?? {}).length, text).toBeGreaterThan(0);
    }
    expect(await portalState()).toBe(before);
  });

  it("POST /users and PATCH /users/<id>", async () => {
    const ok = { username: "newuser", password: "password-1", role: "viewer" };
    await refuses(usersRoute.POST, "POST", "/users", [
      ...["", " ", "a b", "ünïcode", "a\u0000", "a\nb", "u".repeat(65), "<script>", "admin'--", "ＡＤＭＩＮ", "root\u200B"].map((username) => ({ what: `username ${JSON.stringify(username)}`, body: { ...ok, username }, field: "username" })),
      { what: "username ROOT (case)", body: { ...ok, username: "ROOT" } },
      { what: "password 7 chars", body: { ...ok, password: "1234567" }, field: "password" },
      { what: "password 257 chars", body: { ...ok, password: "p".repeat(257) }, field: "password" },
      { what: "password number", body: { ...ok, password: 12345678 }, field: "password" },
      { what: "role root", body: { ...ok, role: "root" }, field: "role" },
      { what: "role Admin", body: { ...ok, role: "Admin" }, field: "role" },
      { what: "role number", body: { ...ok, role: 1 }, field: "role" },
    ]);
    await refuses(userRoute.PATCH, "PATCH", `/users/${userId}`, [
      { what: "role superuser", body: { role: "superuser" }, field: "role" },
      { what: "password short", body: { password: "short" }, field: "password" },
      { what: "username change", body: { username: "other" }, field: "username" },
      { what: "array body", body: [] },
    ], { params: { id: userId } });
  });

  it("POST /session", async () => {
    resetLoginThrottle();
    await refuses(sessionRoute.POST, "POST", "/session", [
      { what: "username missing", body: { password: "x" }, field: "username" },
      { what: "password missing", body: { username: "root" }, field: "password" },
      { what: "username number", body: { username: 1, password: "x" }, field: "username" },
      { what: "password object", body: { username: "root", password: { $ne: "" } }, field: "password" },
      { what: "username 65", body: { username: "u".repeat(65), password: "x" }, field: "username" },
      { what: "password 257", body: { username: "root", password: "p".repeat(257) }, field: "password" },
      { what: "9 KB body", text: JSON.stringify({ username: "root", password: "p".repeat(9000) }) },
      { what: "10 MB of [", text: "[".repeat(10 * 1024 * 1024) },
    ], { token: () => "" });
  });

  it("POST /tokens", async () => {
    await refuses(tokensRoute.POST, "POST", "/tokens", [
      { what: "name missing", body: { scope: "read" }, field: "name" },
      { what: "name NUL", body: { name: "a\u0000", scope: "read" }, field: "name" },
      { what: "scope admin", body: { name: "x", scope: "admin" }, field: "scope" },
      { what: "expiresAt past", body: { name: "x", scope: "read", expiresAt: "2001-01-01T00:00:00Z" }, field: "expiresAt" },
      { what: "expiresAt number", body: { name: "x", scope: "read", expiresAt: 1 }, field: "expiresAt" },
      { what: "extra key", body: { name: "x", scope: "read", userId }, field: "userId" },
    ]);
  });

  it("POST /jobs/preview and /jobs", async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const cases: Case[] = [
      { what: "no selection", body: { values: {} }, field: "selection" },
      { what: "deviceIds not uuid", body: { deviceIds: ["1"], values: {} }, field: "selection" },
      { what: "deviceIds empty", body: { deviceIds: [], values: {} }, field: "selection" },
      { what: "deviceIds 10,001", body: { deviceIds: ids(10_001), values: {} }, field: "selection" },
      { what: "deviceIds 65,536", text: JSON.stringify({ deviceIds: ids(65_536), values: {} }) },
      { what: "filter unknown key", body: { filter: { evil: 1 }, values: {} }, field: "selection" },
      { what: "deviceIds string", body: { deviceIds: deviceId, values: {} }, field: "selection" },
      { what: "percent-escape garbage id", body: { deviceIds: ["%E0%A4%A"], values: {} }, field: "selection" },
    ];
    await refuses(previewRoute.POST, "POST", "/jobs/preview", cases, { token: () => f.viewer });
    await refuses(jobsRoute.POST, "POST", "/jobs", [
      ...cases,
      { what: "values unknown key", body: { deviceIds: [deviceId], values: { "voip/evil": 1 } }, field: "voip/evil" },
      { what: "values secret", body: { deviceIds: [deviceId], values: { "voip/line/0/auth_password": "x" } }, field: "voip/line/0/auth_password" },
    ]);
  });
});
