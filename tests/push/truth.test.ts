// Issue 10, the portal knows what each phone holds: first contact without a page visit, drift noticed by the
// poller through the status's configRevision, never_read answered as such, one save operation (a rejected value
// contacts no phone; a failed save writes one audit entry), inapplicable values checked, stored and sent.
// Against the real emulator (HTTP API; its control surface counts the requests each phone served) and PostgreSQL.
// Address range (i10): phones 127.60.1.x:8080, control surface 127.60.0.1:8080.
import { eq } from "drizzle-orm";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator, type FaultMode } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import { eventually } from "@/tests/support/eventually";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as commonRoute from "@/app/api/v1/jobs/common/route";
import * as previewRoute from "@/app/api/v1/jobs/preview/route";
import { getDb } from "@/lib/db";
import { auditLog, configSnapshots } from "@/lib/db/schema";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { Poller } from "@/lib/poller";
import { backgroundSync, configReader, saveDeviceConfig } from "@/lib/push";
import { deviceClientFor } from "@/lib/push/device";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const USER = "admin";
const PASS = "pw-60";
const CONTROL = "127.60.0.1:8080";
const SIP = "voip/signalling/sip";
const LOCAL_PORT = `${SIP}/port`;
const USE_PROXY = `${SIP}/use_proxy`;
const PROXY_PORT = `${SIP}/proxy_port`;
const POLL_S = 1;

let fleet: Emulator;
let next = 0;

beforeAll(async () => {
  fleet = await startFleet({ devices: 24, firstIp: "127.60.1.1", httpPort: 8080, username: USER, password: PASS, sip: false, controlHost: "127.60.0.1", controlPort: 8080 });
});
afterAll(async () => {
  await configReader().idle();
  await closeDeviceClients();
  await fleet?.stop();
});

const nextIp = () => fleet.devices[next++].identity.ip;
const route = (id: string) => ({ params: { id } });
const getConfig = (id: string) => call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, ...route(id) });
const patch = (id: string, values: Record<string, unknown>) => call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, body: { values }, ...route(id) });
const audits = async (id: string) => (await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, id))).filter((a) => a.action.startsWith("config."));

/** A phone in the inventory added below the REST API (no background read): the portal has never read it. */
async function unreadPhone(): Promise<{ id: string; ip: string }> {
  const ip = nextIp();
  const d = await createDevice({ name: `truth-${ip}`, address: `${ip}:8080`, username: USER, password: PASS }, "root");
  return { id: d.id, ip };
}
async function readPhone(): Promise<{ id: string; ip: string }> {
  const p = await unreadPhone();
  expect((await call(syncRoute.POST, "POST", `/devices/${p.id}/sync`, { token: f.admin, ...route(p.id) })).status).toBe(200);
  return p;
}

async function control(method: "GET" | "POST", path: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await request(`http://${CONTROL}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${path}: ${res.statusCode} ${text}`);
  return text ? JSON.parse(text) : null;
}
/** Requests the phone has served, per kind (status, config, patch, …), from the emulator's control surface. */
const served = async (ip: string): Promise<Record<string, number>> => (await control("GET", `/devices/${ip}`)).requests;
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const stored = async (ip: string): Promise<{ revision: number; values: Record<string, string | number> }> => control("GET", `/devices/${ip}/config`);
const setFault = (ip: string, mode: FaultMode) => control("POST", `/devices/${ip}/fault`, { mode });

describe("first contact without a visit", () => {
  it("a phone added through the API is read in the background: its config answers what the phone holds", async () => {
    const ip = nextIp();
    await control("POST", `/devices/${ip}/config`, { values: { [LOCAL_PORT]: 5077 } });
    const added = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: `api-${ip}`, address: `${ip}:8080`, username: USER, password: PASS } });
    expect(added.status).toBe(201);
    // No page, no GET …/config triggers it: the read was started by adding the phone.
    await configReader().idle();
    expect((await served(ip)).config).toBeGreaterThanOrEqual(1);
    const c = await getConfig(added.body.id);
    expect(c.body).toMatchObject({ state: "in_sync", deviceRevision: (await stored(ip)).revision });
    expect(c.body.values[LOCAL_PORT]).toBe(5077);
    // A read by the portal itself: one config.sync entry (the first contact), no failures.
    expect((await audits(added.body.id)).map((a) => [a.action, a.actor])).toEqual([["config.sync", "system"]]);
  });

  it("a never-read phone answers never_read with values null; an unreachable one says it cannot be read", async () => {
    const { id, ip } = await unreadPhone();
    const c = await getConfig(id);
    expect(c.body).toMatchObject({ state: "never_read", values: null, syncedAt: null });
    await setFault(ip, "offline");
    try {
      await configReader().readSoon([id]);
      const after = await getConfig(id);
      expect(after.body).toMatchObject({ state: "never_read", values: null, lastError: { code: "unreachable", message: expect.stringMatching(/^Cannot read the phone/) } });
    } finally {
      await setFault(ip, "none");
    }
    await configReader().readSoon([id]);
    expect((await getConfig(id)).body).toMatchObject({ state: "in_sync", lastError: null });
  });
});

describe("drift by itself", () => {
  it("a local change on a phone becomes drifted within three poll intervals (the status's configRevision changed)", async () => {
    const { id, ip } = await readPhone();
    const poller = new Poller({ intervalS: POLL_S, concurrency: 4, timeoutMs: 2_000 });
    await poller.start();
    try {
      await eventually("first polls", () => poller.slotOf(id)?.polls ?? 0, (n) => n >= 2);
      await control("POST", `/devices/${ip}/config`, { values: { [LOCAL_PORT]: 5091 } });
      const pollsAtChange = poller.slotOf(id)!.polls;
      const drifted = await eventually("drifted", () => getConfig(id), (r) => r.body.state === "drifted");
      expect(drifted.body.drift).toEqual({ [LOCAL_PORT]: { expected: 5060, actual: 5091 } });
      // Counted in polls, not time: the change was noticed by the next status polls.
      expect(poller.slotOf(id)!.polls - pollsAtChange).toBeLessThanOrEqual(3);
    } finally {
      await poller.stop();
    }
  });

  it("the poller reads a never-read phone on its own", async () => {
    const { id } = await unreadPhone();
    const poller = new Poller({ intervalS: POLL_S, concurrency: 4, timeoutMs: 2_000 });
    await poller.start();
    try {
      await eventually("read by the poller", () => getConfig(id), (r) => r.body.state === "in_sync" && r.body.values !== null);
    } finally {
      await poller.stop();
      await configReader().idle();
    }
  });
});

describe("config state on the device list", () => {
  it("each item carries configState; ?configState= filters (validated, 422 naming it)", async () => {
    const unread = await unreadPhone();
    const read = await readPhone();
    await control("POST", `/devices/${read.ip}/config`, { values: { [LOCAL_PORT]: 5099 } });
    await call(syncRoute.POST, "POST", `/devices/${read.id}/sync`, { token: f.admin, ...route(read.id) });
    const list = (query: string) => call(devicesRoute.GET, "GET", `/devices?${query}`, { token: f.admin });
    const all = (await list("limit=1000")).body.items as { id: string; configState: string }[];
    expect(all.find((d) => d.id === unread.id)?.configState).toBe("never_read");
    expect(all.find((d) => d.id === read.id)?.configState).toBe("drifted");
    const drifted = (await list("configState=drifted&limit=1000")).body;
    expect(drifted.items.map((d: { id: string }) => d.id)).toContain(read.id);
    expect(drifted.items.every((d: { configState: string }) => d.configState === "drifted")).toBe(true);
    expect(drifted.total).toBe(drifted.items.length);
    const never = (await list("configState=never_read&limit=1000")).body.items.map((d: { id: string }) => d.id);
    expect(never).toContain(unread.id);
    expect(never).not.toContain(read.id);
    const bad = await list("configState=sideways");
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields)).toEqual(["configState"]);
  });
});

describe("bulk edit on real values", () => {
  const KA = `${SIP}/redundant/redundant_proxy_ka_period`;
  it("common/mixed values come from the phones (never-read phones read first); mixed says how many hold each", async () => {
    const phones = [await readPhone(), await readPhone(), await unreadPhone()];
    // Local changes on two phones after any read: the portal learns them only by reading.
    await control("POST", `/devices/${phones[0].ip}/config`, { values: { [KA]: 5 } });
    await call(syncRoute.POST, "POST", `/devices/${phones[0].id}/sync`, { token: f.admin, ...route(phones[0].id) });
    await control("POST", `/devices/${phones[2].ip}/config`, { values: { [KA]: 5 } });
    const selection = { deviceIds: phones.map((p) => p.id) };
    const common = await call(commonRoute.POST, "POST", "/jobs/common", { token: f.admin, body: { selection, keys: [KA] } });
    expect(common.status).toBe(200);
    expect(common.body.unread).toEqual({ count: 0, names: [] });
    expect(common.body.values[KA]).toEqual({ common: false, value: null, holders: [{ value: 5, devices: 2 }, { value: 60, devices: 1 }] });
    // The never-read phone was read to answer (and is now known).
    expect((await getConfig(phones[2].id)).body.state).toBe("in_sync");
    const preview = await call(previewRoute.POST, "POST", "/jobs/preview", { token: f.admin, body: { selection, values: { [KA]: 5 } } });
    expect(preview.body.counts).toMatchObject({ change: 1, nochange: 2, unread: 0 });
    expect(preview.body.rows.find((r: { deviceId: string }) => r.deviceId === phones[1].id).diff).toEqual({ [KA]: { from: 60, to: 5 } });
  });

  it("a phone that cannot be read is left out of the values and listed, never compared with defaults", async () => {
    const read = await readPhone();
    const offline = await unreadPhone();
    await setFault(offline.ip, "offline");
    try {
      const selection = { deviceIds: [read.id, offline.id] };
      const common = await call(commonRoute.POST, "POST", "/jobs/common", { token: f.admin, body: { selection, keys: [KA] } });
      expect(common.body.unread).toEqual({ count: 1, names: [`truth-${offline.ip}`] });
      expect(common.body.values[KA]).toEqual({ common: false, value: null, holders: [{ value: 60, devices: 1 }] });
      const preview = await call(previewRoute.POST, "POST", "/jobs/preview", { token: f.admin, body: { selection, values: { [KA]: 5 } } });
      expect(preview.body.rows.find((r: { deviceId: string }) => r.deviceId === offline.id)).toMatchObject({ status: "unread", diff: {}, unread: true });
      expect(preview.body.counts).toMatchObject({ change: 1, unread: 1, total: 2 });
    } finally {
      await setFault(offline.ip, "none");
    }
  });
});

describe("one save operation", () => {
  it("a rejected value contacts no phone (never read or read) and records nothing", async () => {
    for (const { id, ip } of [await unreadPhone(), await readPhone()]) {
      const before = await served(ip);
      const auditsBefore = (await audits(id)).length;
      const r = await patch(id, { [LOCAL_PORT]: 80 });
      expect(r.status).toBe(422);
      expect(r.body.error.fields).toEqual({ [LOCAL_PORT]: expect.stringMatching(/^Must be between 1024 and 65535/) });
      expect(total(await served(ip))).toBe(total(before));
      expect((await audits(id)).length).toBe(auditsBefore);
    }
  });

  it("a save to a never-read phone reads it once, validates against what it holds, and writes one audit entry", async () => {
    const { id, ip } = await unreadPhone();
    const before = await served(ip);
    const r = await patch(id, { [LOCAL_PORT]: 5072 });
    expect(r.status).toBe(200);
    expect((await stored(ip)).values[LOCAL_PORT]).toBe(5072);
    const after = await served(ip);
    // One read (first contact, also the push's own), one PATCH, one read-back.
    expect(after.config - before.config).toBe(2);
    expect(after.patch - before.patch).toBe(1);
    expect((await audits(id)).map((a) => a.action)).toEqual(["config.push"]);
    expect((await audits(id))[0].details).toMatchObject({ changed: [LOCAL_PORT], noop: false });
  });

  it("a failed save to an unreachable phone writes exactly one audit entry, with the device's error", async () => {
    const { id, ip } = await readPhone();
    const auditsBefore = (await audits(id)).length;
    await setFault(ip, "offline");
    try {
      const r = await patch(id, { [LOCAL_PORT]: 5073 });
      expect(r.status).toBe(502);
    } finally {
      await setFault(ip, "none");
    }
    const written = (await audits(id)).slice(auditsBefore);
    expect(written.map((a) => a.action)).toEqual(["config.push_failed"]);
    expect(written[0].details).toMatchObject({ code: "unreachable", message: expect.stringContaining(ip), changed: [LOCAL_PORT] });
    expect((await getConfig(id)).body).toMatchObject({ state: "push_failed", lastError: { code: "unreachable" } });
  });
});

describe("validation never drops input", () => {
  it("an inapplicable out-of-range value is refused naming the field, contacting no phone", async () => {
    const { id, ip } = await readPhone();
    expect((await stored(ip)).values[USE_PROXY]).toBe(0);
    const before = total(await served(ip));
    const r = await patch(id, { [PROXY_PORT]: 0 });
    expect(r.status).toBe(422);
    expect(r.body.error.fields).toEqual({ [PROXY_PORT]: "Must be between 1024 and 65535" });
    expect(total(await served(ip))).toBe(before);
  });

  it("an inapplicable in-range value is stored and sent: the phone holds it", async () => {
    const { id, ip } = await readPhone();
    const r = await patch(id, { [PROXY_PORT]: 6000 });
    expect(r.status).toBe(200);
    expect(r.body.values[PROXY_PORT]).toBe(6000);
    expect((await stored(ip)).values).toMatchObject({ [USE_PROXY]: 0, [PROXY_PORT]: 6000 });
    expect(r.body.state).toBe("in_sync");
  });

  it("an applicable 0.0.0.0 is refused", async () => {
    const { id } = await readPhone();
    const r = await patch(id, { [`${SIP}/redundant/use_redundant_proxy`]: 1 });
    expect(r.status).toBe(422);
    expect(r.body.error.fields).toEqual({ [`${SIP}/redundant/redundant_proxy_address`]: expect.stringMatching(/0\.0\.0\.0/) });
  });
});

describe("a push and a background read of the same phone at once", () => {
  it("both are recorded, in either order, without a database deadlock (one lock order for every config writer)", async () => {
    // Before the shared lock order, a push that ended while a background read recorded the same phone could
    // deadlock in PostgreSQL (the push held the config row and waited for the device row the read had locked):
    // the push answered 500 and nothing of it was recorded. Repeated, so the interleavings the bug needs occur.
    const p = await readPhone();
    for (let i = 0; i < 25; i++) {
      const port = 5100 + i;
      const [pushed] = await Promise.all([patch(p.id, { [LOCAL_PORT]: port }), backgroundSync(p.id), backgroundSync(p.id)]);
      expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
      expect((await stored(p.ip)).values[LOCAL_PORT]).toBe(port);
    }
    const c = await getConfig(p.id);
    expect(c.body.values[LOCAL_PORT]).toBe(5124);
    expect(c.body.state).toBe("in_sync");
  });
});

describe("a background read that sees a push arrive before the push recorded it", () => {
  // The poller sees the new configRevision as soon as the PATCH lands, maybe in another process than the push; the
  // read it triggers used to record the portal's own push as drift and a second revision (a restore showed twice).
  it("records nothing: the push records one revision, no drift, and the read that follows finds nothing new", async () => {
    const p = await readPhone();
    const snapshots = async () => (await (await getDb()).select().from(configSnapshots).where(eq(configSnapshots.deviceId, p.id))).length;
    const before = await snapshots();
    let during: Awaited<ReturnType<typeof backgroundSync>> | undefined;
    const driverFor = async (id: string) => {
      const d = await deviceClientFor(id);
      return new Proxy(d, {
        get(target, key) {
          if (key === "patchConfig")
            return async (...args: Parameters<typeof d.patchConfig>) => {
              const r = await target.patchConfig(...args);
              during = await backgroundSync(id); // the phone holds the edit; the push has not recorded it
              return r;
            };
          const v = Reflect.get(target, key);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
    };
    const pushed = await saveDeviceConfig({ deviceId: p.id, changes: { [LOCAL_PORT]: 5301 }, actor: "admin" }, { driverFor });
    expect(pushed.ok, JSON.stringify(pushed)).toBe(true);
    expect(during).toEqual({ landing: (await stored(p.ip)).revision });
    const c = await getConfig(p.id);
    expect(c.body).toMatchObject({ state: "in_sync", drift: null });
    expect(await snapshots()).toBe(before + 1);
    expect((await audits(p.id)).filter((a) => a.action === "config.sync" && (a.details as { state?: string }).state === "drifted")).toEqual([]);
    expect(await backgroundSync(p.id)).toMatchObject({ ok: true, state: "in_sync" });
    expect(await snapshots()).toBe(before + 1);
  });

  it("a phone changed locally to another value is drift at once", async () => {
    const p = await readPhone();
    await patch(p.id, { [LOCAL_PORT]: 5302 }); // saved and pushed
    await control("POST", `/devices/${p.ip}/config`, { values: { [LOCAL_PORT]: 5303 } });
    expect(await backgroundSync(p.id)).toMatchObject({ ok: true, state: "drifted" });
  });
});
