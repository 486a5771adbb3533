// The audit log API on a real PostgreSQL: logins, inventory changes and config saves are recorded; every filter
// (actor, action or action family, target, date range) and the server-side paging narrow the same query.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import * as session from "@/app/api/v1/session/route";
import { useApiFixture } from "../api/support";

const api = useApiFixture();
let deskId = "";

type Item = { id: number; at: string; actor: string; action: string; targetType: string | null; targetId: string | null; targetName: string | null; details: Record<string, unknown> | null };
const query = async (q: Record<string, string | number>, token = api.viewer) => {
  const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
  return call(auditRoute.GET, "GET", `/audit?${qs}`, { token });
};
const items = async (q: Record<string, string | number>) => (await query(q)).body.items as Item[];

beforeAll(async () => {
  // The fixture created two users ("system") and signed both in. Inventory changes by the admin (devices on addresses nobody serves: nothing here talks to a phone).
  deskId = (await call(devicesRoute.POST, "POST", "/devices", { token: api.admin, body: { name: "Desk", address: "127.48.9.1:8080" } })).body.id;
  const hall = (await call(devicesRoute.POST, "POST", "/devices", { token: api.admin, body: { name: "Hall", address: "127.48.9.2:8080" } })).body.id;
  await call(deviceRoute.PATCH, "PATCH", `/devices/${deskId}`, { token: api.admin, params: { id: deskId }, body: { site: "HQ" } });
  await call(deviceRoute.DELETE, "DELETE", `/devices/${hall}`, { token: api.admin, params: { id: hall } });
  // A failed login is recorded too.
  await call(session.POST, "POST", "/session", { body: { username: "vera", password: "wrong-password" } });
});

describe("GET /api/v1/audit", () => {
  it("lists newest first with a total: the logins of the fixture and the inventory changes are there", async () => {
    const r = await query({});
    expect(r.status).toBe(200);
    const all = r.body.items as Item[];
    expect(r.body.total).toBe(all.length);
    const ats = all.map((i) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const actions = all.map((i) => `${i.actor}:${i.action}`);
    expect(actions).toEqual(expect.arrayContaining(["root:login", "vera:login", "vera:login.failed", "root:device.create", "root:device.update", "root:device.delete", "system:user.create"]));
    const created = all.find((i) => i.action === "device.create" && i.targetId === deskId)!;
    expect(created).toMatchObject({ targetType: "device", targetName: "Desk", details: { name: "Desk", address: "127.48.9.1:8080" } });
    const updated = all.find((i) => i.action === "device.update" && i.targetId === deskId)!;
    expect(updated.details).toEqual({ changed: ["site"], before: { site: "" }, after: { site: "HQ" } });
  });

  it("filters by exact action or by an action family", async () => {
    const creates = await items({ action: "device.create" });
    expect(creates).toHaveLength(2);
    expect(new Set(creates.map((i) => i.action))).toEqual(new Set(["device.create"]));
    const family = await items({ action: "device" });
    expect(new Set(family.map((i) => i.action))).toEqual(new Set(["device.create", "device.update", "device.delete"]));
    expect(await items({ action: "login" })).toHaveLength(3);
    expect(await items({ action: "devic" })).toEqual([]);
  });

  it("filters by actor (part of the name, any case) and by target (id, type:id, device name, type)", async () => {
    expect(new Set((await items({ actor: "VER" })).map((i) => i.actor))).toEqual(new Set(["vera"]));
    const byId = await items({ target: deskId });
    expect(byId.map((i) => i.action).sort()).toEqual(["device.create", "device.update"]);
    expect(await items({ target: `device:${deskId}` })).toEqual(byId);
    expect(await items({ target: "desk" })).toEqual(byId);
    expect(new Set((await items({ target: "user" })).map((i) => i.targetType))).toEqual(new Set(["user"]));
  });

  it("filters by date range and pages on the server", async () => {
    const all = await items({});
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await items({ from: future })).toEqual([]);
    expect(await items({ to: future })).toEqual(all);
    expect(await items({ from: all.at(-1)!.at, to: all[0].at })).toEqual(all);
    expect(await items({ to: "2000-01-01" })).toEqual([]);
    const page1 = await query({ limit: 2, offset: 0 });
    const page2 = await query({ limit: 2, offset: 2 });
    expect(page1.body.total).toBe(all.length);
    expect([...page1.body.items, ...page2.body.items]).toEqual(all.slice(0, 4));
  });

  it("rejects bad filters with 422 and needs a session", async () => {
    const bad = await query({ from: "yesterday-ish", limit: 0 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["from", "limit"]);
    expect((await call(auditRoute.GET, "GET", "/audit")).status).toBe(401);
    expect((await query({ actor: "" })).body.total).toBe((await items({})).length);
  });
});
