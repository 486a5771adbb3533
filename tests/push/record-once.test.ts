// A push stores its desired config and records its outcome in one statement each when nobody wrote the device's
// config row meanwhile (lib/push: the row's version, PostgreSQL's xmin), and in the locked transaction when
// someone did. Either way the outcome is built on the config as stored at that moment: a save that landed during a
// push is never overwritten by it, and each outcome has exactly one audit entry and one snapshot.
// Against the real emulator and PostgreSQL. Address range (perf): phones 127.66.1.x:8080, control 127.66.0.1:8080.
import { and, eq } from "drizzle-orm";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { getDb } from "@/lib/db";
import { auditLog, configSnapshots, deviceConfigs } from "@/lib/db/schema";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { applyPatchIfUnchanged } from "@/lib/config-store";
import { configReader, pushDeviceConfig, syncFromDevice } from "@/lib/push";
import { loadPushContext, recordIfUnchanged } from "@/lib/push/store";
import { useTempDataDir } from "@/tests/support/db";

useTempDataDir();
const USER = "admin";
const PASS = "pw-66";
const SIP = "voip/signalling/sip";
const LOCAL_PORT = `${SIP}/port`;
const RETRIES = `${SIP}/auth_retries`;

let fleet: Emulator;
let next = 0;

beforeAll(async () => {
  fleet = await startFleet({ devices: 10, firstIp: "127.66.1.1", httpPort: 8080, username: USER, password: PASS, sip: false, controlHost: "127.66.0.1", controlPort: 8080 });
});
afterAll(async () => {
  await configReader().idle();
  await closeDeviceClients();
  await fleet?.stop();
});

async function readPhone(): Promise<{ id: string; ip: string }> {
  const ip = fleet.devices[next++].identity.ip;
  const d = await createDevice({ name: `once-${ip}`, address: `${ip}:8080`, username: USER, password: PASS }, "root");
  expect((await syncFromDevice(d.id, "root")).ok).toBe(true);
  return { id: d.id, ip };
}

async function onPhone(ip: string): Promise<Record<string, unknown>> {
  const res = await request(`http://${ip}:8080/api/v1/config`, { headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` } });
  return ((await res.body.json()) as { values: Record<string, unknown> }).values;
}

const configRow = async (id: string) => (await (await getDb()).select().from(deviceConfigs).where(eq(deviceConfigs.deviceId, id)))[0];
const pushAudits = async (id: string) => (await getDb()).select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "config.push")));
const pushSnapshots = async (id: string) => (await getDb()).select().from(configSnapshots).where(and(eq(configSnapshots.deviceId, id), eq(configSnapshots.source, "push")));

describe("recording a push's outcome", () => {
  it("a push nobody interferes with: desired, baseline, one snapshot and one audit entry", async () => {
    const p = await readPhone();
    const r = await pushDeviceConfig({ deviceId: p.id, changes: { [LOCAL_PORT]: 5201 }, actor: "root" });
    expect(r).toMatchObject({ ok: true, noop: false });
    expect((await onPhone(p.ip))[LOCAL_PORT]).toBe(5201);
    const row = await configRow(p.id);
    expect(row).toMatchObject({ state: "in_sync", drift: null, lastError: null });
    expect(row.values[LOCAL_PORT]).toBe(5201);
    expect(row.baseline![LOCAL_PORT]).toBe(5201);
    expect(await pushAudits(p.id)).toHaveLength(1);
    const snaps = await pushSnapshots(p.id);
    expect(snaps).toHaveLength(1);
    expect(snaps[0].changes).toEqual({ [LOCAL_PORT]: { from: expect.anything(), to: 5201 } });
    if (r.ok) expect(r.snapshotId).toBe(snaps[0].id);
  });

  it("a save that lands while a push is on its way is built on, not overwritten (the row moved: locked path)", async () => {
    const p = await readPhone();
    // Between this push's store and its PATCH another admin saves another key (stored, pushed and recorded): the
    // config row moved under the first push, whose If-Match then fails once (412 → re-read, re-diff).
    const r = await pushDeviceConfig(
      { deviceId: p.id, changes: { [LOCAL_PORT]: 5202 }, actor: "root" },
      { beforePatch: async () => void expect(await pushDeviceConfig({ deviceId: p.id, changes: { [RETRIES]: 6 }, actor: "other" })).toMatchObject({ ok: true }) },
    );
    // The other push sent this one's pending key too (desired ≠ baseline), so this one found nothing left to send.
    expect(r).toMatchObject({ ok: true, noop: true });
    expect(await onPhone(p.ip)).toMatchObject({ [LOCAL_PORT]: 5202, [RETRIES]: 6 });
    const row = await configRow(p.id);
    // Both saves are desired and both are in the baseline: nothing pending, nothing drifted.
    expect(row.values).toMatchObject({ [LOCAL_PORT]: 5202, [RETRIES]: 6 });
    expect(row.baseline).toMatchObject({ [LOCAL_PORT]: 5202, [RETRIES]: 6 });
    expect(row).toMatchObject({ state: "in_sync", drift: null });
    expect((await pushAudits(p.id)).map((a) => a.actor).sort()).toEqual(["other", "root"]);
    expect(await pushSnapshots(p.id)).toHaveLength(1);
  });

  it("a read that records a local change during a push keeps it as drift", async () => {
    const p = await readPhone();
    const r = await pushDeviceConfig(
      { deviceId: p.id, changes: { [LOCAL_PORT]: 5203 }, actor: "root" },
      {
        beforePatch: async () => {
          await request(`http://127.66.0.1:8080/devices/${p.ip}/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ values: { [RETRIES]: 8 } }) }).then((res) => res.body.dump());
          expect((await syncFromDevice(p.id, "root")).ok).toBe(true);
        },
      },
    );
    expect(r).toMatchObject({ ok: true, noop: false });
    const row = await configRow(p.id);
    expect(row.state).toBe("drifted");
    expect(Object.keys(row.drift ?? {})).toEqual([RETRIES]);
    expect(row.baseline![LOCAL_PORT]).toBe(5203);
    expect(await pushAudits(p.id)).toHaveLength(1);
  });

  // Pushes that overlap share statements (lib/db/batch: one load, store and record statement for all that arrive
  // while the previous one is in flight). Each outcome is still its own device's, exactly once.
  it("overlapping pushes of several phones: each recorded once, with its own snapshot", async () => {
    const phones = await Promise.all([readPhone(), readPhone(), readPhone(), readPhone()]);
    const results = await Promise.all(phones.map((p, i) => pushDeviceConfig({ deviceId: p.id, changes: { [LOCAL_PORT]: 5210 + i }, actor: "root" })));
    for (const [i, p] of phones.entries()) {
      const r = results[i];
      expect(r).toMatchObject({ ok: true, noop: false });
      expect((await onPhone(p.ip))[LOCAL_PORT]).toBe(5210 + i);
      const row = await configRow(p.id);
      expect(row).toMatchObject({ state: "in_sync", drift: null });
      expect(row.values[LOCAL_PORT]).toBe(5210 + i);
      expect(row.baseline![LOCAL_PORT]).toBe(5210 + i);
      const audits = await pushAudits(p.id);
      expect(audits).toHaveLength(1);
      expect(audits[0].details).toMatchObject({ sent: [LOCAL_PORT], after: { [LOCAL_PORT]: 5210 + i } });
      const snaps = await pushSnapshots(p.id);
      expect(snaps).toHaveLength(1);
      expect(snaps[0].values[LOCAL_PORT]).toBe(5210 + i);
      if (r.ok) expect(r.snapshotId).toBe(snaps[0].id);
    }
  });

  it("two conditional writes of one row are never sent in one statement: only the first finds it unchanged", async () => {
    const [p, other] = [await readPhone(), await readPhone()];
    const db = await getDb();
    const [ctx, otherCtx] = await Promise.all([loadPushContext(db, p.id), loadPushContext(db, other.id)]);
    // The other phone's store is sent at once; the two of `p` queue behind it and would otherwise share the next one.
    const [, first, second] = await Promise.all([
      applyPatchIfUnchanged(db, other.id, otherCtx.desired, otherCtx.version!, { [LOCAL_PORT]: 5230 }, "root"),
      applyPatchIfUnchanged(db, p.id, ctx.desired, ctx.version!, { [LOCAL_PORT]: 5231 }, "root"),
      applyPatchIfUnchanged(db, p.id, ctx.desired, ctx.version!, { [RETRIES]: 9 }, "other"),
    ]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toEqual({ ok: false, moved: true });
    expect((await configRow(p.id)).values).toMatchObject({ [LOCAL_PORT]: 5231 });
    // The same for outcomes: of two records of one row at one version, only the first is written.
    const version = (first as { version: string }).version;
    const entry = (actor: string) => ({ state: { state: "in_sync" as const }, snapshot: null, audit: { actor, action: "config.push", targetType: "device", targetId: p.id, details: {} } });
    const [, r1, r2] = await Promise.all([
      recordIfUnchanged(db, other.id, "1", entry("root")),
      recordIfUnchanged(db, p.id, version, entry("root")),
      recordIfUnchanged(db, p.id, version, entry("other")),
    ]);
    expect(r1).not.toBeNull();
    expect(r2).toBeNull();
    expect((await pushAudits(p.id)).map((a) => a.actor)).toEqual(["root"]);
  });
  it("two overlapping saves of one phone are never stored or recorded as one (both kept, two entries)", async () => {
    const p = await readPhone();
    const [a, b] = await Promise.all([
      pushDeviceConfig({ deviceId: p.id, changes: { [LOCAL_PORT]: 5220 }, actor: "root" }),
      pushDeviceConfig({ deviceId: p.id, changes: { [RETRIES]: 7 }, actor: "other" }),
    ]);
    expect(a).toMatchObject({ ok: true });
    expect(b).toMatchObject({ ok: true });
    expect(await onPhone(p.ip)).toMatchObject({ [LOCAL_PORT]: 5220, [RETRIES]: 7 });
    const row = await configRow(p.id);
    expect(row.values).toMatchObject({ [LOCAL_PORT]: 5220, [RETRIES]: 7 });
    expect(row.revision).toBe(3); // the first read, then one per save
    expect(row).toMatchObject({ state: "in_sync", drift: null });
    expect((await pushAudits(p.id)).map((e) => e.actor).sort()).toEqual(["other", "root"]);
  });
});
