// The push pipeline, sync and drift against the real emulator (HTTP API only) and a real PostgreSQL, through the
// REST routes an admin uses. Every device outcome is checked by an independent read of the emulator's API.
// Address range: phones on 127.43.1.x:8080, control surface on 127.43.0.1:8080.
import { eq } from "drizzle-orm";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator, type FaultMode } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as pushRoute from "@/app/api/v1/devices/[id]/config/push/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as adoptRoute from "@/app/api/v1/devices/[id]/drift/adopt/route";
import * as overwriteRoute from "@/app/api/v1/devices/[id]/drift/overwrite/route";
import { getDb } from "@/lib/db";
import { auditLog, configSnapshots, deviceConfigs } from "@/lib/db/schema";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { pushDeviceConfig } from "@/lib/push";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const USER = "admin";
const PASS = "pw-43";
const CONTROL = "127.43.0.1:8080";
const SIP = "voip/signalling/sip";
const R = `${SIP}/redundant`;
const PORT = `${R}/redundant_proxy_port`;
/** The phone's own SIP port: always applicable, so always pushed. */
const PROXY_PORT = `${SIP}/port`;
const AUTH_PW = "voip/line/0/auth_password";
const STUN_ON = `${SIP}/stun/enabled`;
const STUN_IP = `${SIP}/stun/stun_server_ip`;

let fleet: Emulator;
let nextPhone = 0;

beforeAll(async () => {
  fleet = await startFleet({
    devices: 16,
    firstIp: "127.43.1.1",
    httpPort: 8080,
    username: USER,
    password: PASS,
    sip: false,
    controlHost: "127.43.0.1",
    controlPort: 8080,
  });
});
afterAll(async () => {
  delete process.env.DEVICE_TIMEOUT_MS;
  await closeDeviceClients();
  await fleet?.stop();
});

/** A fresh emulated phone, registered in the inventory. */
async function addPhone(): Promise<{ id: string; ip: string }> {
  const ip = fleet.devices[nextPhone++].identity.ip;
  const d = await createDevice({ name: `push-${ip}`, address: `${ip}:8080`, username: USER, password: PASS }, "root");
  return { id: d.id, ip };
}

/** Independent read of the emulator's own device API (not through lib/device). */
async function deviceRead(ip: string): Promise<{ revision: number; values: Record<string, string | number> }> {
  const res = await request(`http://${ip}:8080/api/v1/config`, {
    headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` },
  });
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as { revision: number; values: Record<string, string | number> };
}

async function controlPost(path: string, body: unknown): Promise<void> {
  const res = await request(`http://${CONTROL}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${path}: ${res.statusCode} ${text}`);
}
const setFault = (ip: string, mode: FaultMode, delayMs?: number) => controlPost(`/devices/${ip}/fault`, { mode, delayMs });
/** A local change on the phone (its control surface writes without If-Match, like someone at the keypad). */
const localChange = (ip: string, values: Record<string, unknown>) => controlPost(`/devices/${ip}/config`, { values });

const route = (id: string) => ({ params: { id } });
const getConfig = (id: string) => call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, ...route(id) });
const patch = (id: string, values: Record<string, unknown>, token = f.admin) =>
  call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token, body: { values }, ...route(id) });
const post = (fn: typeof pushRoute.POST, id: string, path: string, token = f.admin) => call(fn, "POST", `/devices/${id}${path}`, { token, ...route(id) });
const sync = (id: string) => post(syncRoute.POST, id, "/sync");
const row = async (id: string) => (await (await getDb()).select().from(deviceConfigs).where(eq(deviceConfigs.deviceId, id)))[0];
const snapshots = async (id: string) => (await getDb()).select().from(configSnapshots).where(eq(configSnapshots.deviceId, id)).orderBy(configSnapshots.id);
const audits = async (id: string, action: string) =>
  (await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, id))).filter((a) => a.action === action);

describe("sync (Read from device)", () => {
  it("first contact imports the device's config as desired + baseline, in sync, with a sync snapshot", async () => {
    const { id, ip } = await addPhone();
    await localChange(ip, { [PROXY_PORT]: 5077 });
    const r = await sync(id);
    expect(r.status).toBe(200);
    const device = await deviceRead(ip);
    expect(r.body).toMatchObject({ state: "in_sync", deviceRevision: device.revision, drift: null, sync: { firstContact: true } });
    expect(r.body.values[PROXY_PORT]).toBe(5077);
    expect(r.body.values["voip/line/0/id"]).toBe(device.values["voip/line/0/id"]);
    expect(r.body.syncedAt).not.toBeNull();
    const snaps = await snapshots(id);
    expect(snaps.map((s) => s.source)).toEqual(["sync"]);
    // A second read that finds nothing new adds no snapshot.
    expect((await sync(id)).body.state).toBe("in_sync");
    expect(await snapshots(id)).toHaveLength(1);
  });
});

describe("push (PATCH /devices/<id>/config)", () => {
  it("an edit to a never-read device is validated against what the device holds, not catalog defaults", async () => {
    const { id, ip } = await addPhone();
    // Redundancy is on on the device only; the portal has never read it.
    await localChange(ip, { [`${R}/use_redundant_proxy`]: 1, [`${R}/redundant_proxy_address`]: "127.0.0.9" });
    const bad = await patch(id, { [PORT]: 80 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[PORT]).toMatch(/1024/);
    expect((await deviceRead(ip)).values[PORT]).toBe(5060);
    const good = await patch(id, { [PORT]: 5072 });
    expect(good.status).toBe(200);
    expect((await deviceRead(ip)).values[PORT]).toBe(5072);
  });

  it("applies only the changed keys with If-Match, verified by read-back, recorded with a snapshot and audit", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    const before = await deviceRead(ip);
    const r = await patch(id, { [`${R}/use_redundant_proxy`]: 1, [`${R}/redundant_proxy_address`]: "backup.example.net", [PORT]: 5070 });
    expect(r.status).toBe(200);
    const after = await deviceRead(ip);
    expect(after.values).toMatchObject({ [`${R}/use_redundant_proxy`]: 1, [`${R}/redundant_proxy_address`]: "backup.example.net", [PORT]: 5070 });
    expect(after.revision).toBe(before.revision + 1);
    expect(r.body).toMatchObject({ state: "in_sync", deviceRevision: after.revision, push: { ok: true, noop: false } });
    expect(r.body.push.after[PORT]).toBe(5070);
    expect(r.body.push.before[PORT]).toBe(before.values[PORT]);
    // Everything else on the device is untouched.
    const untouched = Object.keys(before.values).filter((k) => !k.startsWith(R));
    expect(Object.fromEntries(untouched.map((k) => [k, after.values[k]]))).toEqual(Object.fromEntries(untouched.map((k) => [k, before.values[k]])));
    const snap = (await snapshots(id)).at(-1)!;
    expect(snap).toMatchObject({ source: "push", deviceRevision: after.revision, actor: "root" });
    expect(snap.changes[PORT]).toEqual({ from: before.values[PORT], to: 5070 });
    expect((await audits(id, "config.push")).at(-1)?.details).toMatchObject({ deviceRevision: after.revision, noop: false });
    const read = await getConfig(id);
    expect(read.body).toMatchObject({ state: "in_sync", deviceRevision: after.revision, lastError: null });
    expect(read.body.lastPushAt).not.toBeNull();
  });

  it("secrets are written to the device but never read back into the API or stored in snapshots", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    const r = await patch(id, { [AUTH_PW]: "sip-secret-43" });
    expect(r.status).toBe(200);
    expect(fleet.get(ip)!.rawValues()[AUTH_PW]).toBe("sip-secret-43");
    expect(r.body.values[AUTH_PW]).toBeNull();
    expect(JSON.stringify((await getConfig(id)).body)).not.toContain("sip-secret-43");
    expect(JSON.stringify(await snapshots(id))).not.toContain("sip-secret-43");
    expect((await snapshots(id)).at(-1)!.values[AUTH_PW]).toBe("********");
    expect(r.body.state).toBe("in_sync");
  });

  it("a value the device rejects (422) → rejected_by_device with its per-key message; nothing changes on the device", async () => {
    const { id, ip } = await addPhone();
    await localChange(ip, { [STUN_IP]: "stun.example.net" });
    await sync(id);
    // Someone clears the STUN server on the phone (allowed while STUN is off); the portal still believes it set.
    await localChange(ip, { [STUN_IP]: "" });
    const before = await deviceRead(ip);
    const r = await patch(id, { [STUN_ON]: 1 });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("rejected_by_device");
    expect(Object.keys(r.body.error.fields)).toContain(STUN_IP);
    expect(r.body.error.fields[STUN_IP]).not.toBe("");
    expect(await deviceRead(ip)).toEqual(before);
    const read = await getConfig(id);
    expect(read.body.state).toBe("push_failed");
    expect(read.body.values[STUN_ON]).toBe(1);
    expect(read.body.lastError).toMatchObject({ code: "rejected", fields: { [STUN_IP]: expect.any(String) } });
  });

  it("a stale revision (412) after a concurrent change re-reads and re-diffs once: no lost update", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    const result = await pushDeviceConfig(
      { deviceId: id, changes: { [PROXY_PORT]: 5081 }, actor: "root" },
      { beforePatch: () => localChange(ip, { [`${SIP}/auth_retries`]: 7 }) },
    );
    expect(result).toMatchObject({ ok: true, noop: false });
    const device = await deviceRead(ip);
    // Both the concurrent change and ours are on the device.
    expect(device.values).toMatchObject({ [PROXY_PORT]: 5081, [`${SIP}/auth_retries`]: 7 });
    if (result.ok) expect(result.deviceRevision).toBe(device.revision);
    // The concurrent local change is not the portal's: it shows as drift.
    const read = await getConfig(id);
    expect(read.body.state).toBe("drifted");
    expect(Object.keys(read.body.drift)).toEqual([`${SIP}/auth_retries`]);
  });

  it("a concurrent change to the same key is never overwritten blindly", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    const result = await pushDeviceConfig(
      { deviceId: id, changes: { [PROXY_PORT]: 5082 }, actor: "root" },
      { beforePatch: () => localChange(ip, { [PROXY_PORT]: 5099 }) },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "conflict", retryable: false, fields: { [PROXY_PORT]: expect.stringContaining("5099") } });
    expect((await deviceRead(ip)).values[PROXY_PORT]).toBe(5099);
    expect((await getConfig(id)).body.state).toBe("push_failed");
  });
});

describe("device failures: classified, recorded, desired config kept pending, Retry works", () => {
  const cases: { mode: FaultMode; delayMs?: number; status: number; code: string }[] = [
    { mode: "offline", status: 502, code: "unreachable" },
    { mode: "slow", delayMs: 2500, status: 504, code: "timeout" },
    { mode: "garbage", status: 502, code: "malformed_reply" },
    { mode: "reject-auth", status: 502, code: "unauthorized" },
    { mode: "http500", status: 502, code: "device_error" },
  ];
  for (const c of cases) {
    it(`${c.mode} → ${c.status} ${c.code}; after the fault clears, Retry pushes the pending value`, async () => {
      const { id, ip } = await addPhone();
      await sync(id);
      const port = 5100 + nextPhone;
      process.env.DEVICE_TIMEOUT_MS = "1000";
      await setFault(ip, c.mode, c.delayMs);
      try {
        const r = await patch(id, { [PROXY_PORT]: port });
        expect(r.status).toBe(c.status);
        expect(r.body.error.code).toBe(c.code);
        expect(r.body.error.message).toContain(ip);
      } finally {
        await setFault(ip, "none");
        delete process.env.DEVICE_TIMEOUT_MS;
      }
      const read = await getConfig(id);
      expect(read.body).toMatchObject({ state: "push_failed", lastError: { code: c.code } });
      expect(read.body.values[PROXY_PORT]).toBe(port);
      expect((await audits(id, "config.push_failed")).at(-1)?.details).toMatchObject({ code: c.code });
      expect((await deviceRead(ip)).values[PROXY_PORT]).not.toBe(port);

      const retry = await post(pushRoute.POST, id, "/config/push");
      expect(retry.status).toBe(200);
      expect(retry.body).toMatchObject({ state: "in_sync", lastError: null, push: { ok: true, noop: false } });
      expect((await deviceRead(ip)).values[PROXY_PORT]).toBe(port);
    });
  }
});

describe("drift", () => {
  it("a local change on the device is detected on read, then adopted", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    const pushed = await patch(id, { [PROXY_PORT]: 5090 });
    expect(pushed.status).toBe(200);
    await localChange(ip, { [PROXY_PORT]: 5091 });
    const r = await sync(id);
    expect(r.body.state).toBe("drifted");
    expect(r.body.drift).toEqual({ [PROXY_PORT]: { expected: 5090, actual: 5091 } });
    expect(r.body.values[PROXY_PORT]).toBe(5090);

    const adopted = await post(adoptRoute.POST, id, "/drift/adopt");
    expect(adopted.status).toBe(200);
    expect(adopted.body).toMatchObject({ state: "in_sync", drift: null });
    expect(adopted.body.values[PROXY_PORT]).toBe(5091);
    expect((await snapshots(id)).at(-1)!.source).toBe("adopt");
    expect((await sync(id)).body.state).toBe("in_sync");
  });

  it("overwrite pushes the portal's values of the drifted keys back", async () => {
    const { id, ip } = await addPhone();
    await sync(id);
    await patch(id, { [PROXY_PORT]: 5092 });
    await localChange(ip, { [PROXY_PORT]: 5093, [`${SIP}/auth_retries`]: 6 });
    expect((await sync(id)).body.state).toBe("drifted");
    const r = await post(overwriteRoute.POST, id, "/drift/overwrite");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: "in_sync", drift: null });
    const device = await deviceRead(ip);
    expect(device.values[PROXY_PORT]).toBe(5092);
    expect(device.values[`${SIP}/auth_retries`]).toBe((await row(id)).baseline?.[`${SIP}/auth_retries`]);
  });

  it("viewers can read but not push, sync, adopt or overwrite", async () => {
    const { id } = await addPhone();
    expect((await post(pushRoute.POST, id, "/config/push", f.viewer)).status).toBe(403);
    expect((await post(syncRoute.POST, id, "/sync", f.viewer)).status).toBe(403);
    expect((await post(adoptRoute.POST, id, "/drift/adopt", f.viewer)).status).toBe(403);
    expect((await post(overwriteRoute.POST, id, "/drift/overwrite", f.viewer)).status).toBe(403);
    expect((await patch(id, { [PROXY_PORT]: 5094 }, f.viewer)).status).toBe(403);
  });
});
