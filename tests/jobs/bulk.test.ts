// Issue 7 end to end below the browser: 200 emulated phones, a bulk job through the REST API, the real runner and
// the real single-device push. 10 phones are offline (retried, then failed), 5 reject the change (their own config
// makes the merged result invalid on the device only), 3 are changed on the device between the push's read and
// its PATCH (a real 412 → re-read, re-diff, apply). Loopback: phones 127.46.1.1–200:8080, control 127.46.0.1:8080.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import * as jobRoute from "@/app/api/v1/jobs/[id]/route";
import * as retryRoute from "@/app/api/v1/jobs/[id]/retry/route";
import * as reportRoute from "@/app/api/v1/jobs/[id]/report.csv/route";
import * as previewRoute from "@/app/api/v1/jobs/preview/route";
import * as commonRoute from "@/app/api/v1/jobs/common/route";
import { call } from "@/tests/support/api";
import { closeDeviceClients } from "@/lib/device";
import { getDb } from "@/lib/db";
import { auditLog, configSnapshots, deviceConfigs, devices } from "@/lib/db/schema";
import { startJobRunner, stopJobRunner, type JobRunner } from "@/lib/jobs";
import { configReader, pushDeviceConfig, syncFromDevice } from "@/lib/push";
import { useApiFixture } from "../api/support";
import { controlPost, inventoryCsv, KEYS, PASS, readPhone, USER } from "./support/emulator";

const N = 200;
const SITE = "bulk-site";
const CONTROL = "127.46.0.1:8080";
const ip = (i: number) => `127.46.1.${i + 1}`;
const OFFLINE = Array.from({ length: 10 }, (_, i) => i); // phones 0–9
const REJECTING = [10, 11, 12, 13, 14];
const CONCURRENT = [15, 16, 17];
const CHANGES = { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.46.0.2", [KEYS.redundantPort]: 5070 };

const f = useApiFixture();
let fleet: Emulator;
let runner: JobRunner;
let jobId = "";
const before = new Map<number, { revision: number; values: Record<string, unknown> }>();
const idByIp = new Map<string, string>();
const concurrentDone = new Set<string>();

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: ip(0), httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.46.0.1", controlPort: 8080 });
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => `${ip(i)}:8080`), SITE) });
  expect(imported.status).toBe(200);
  // The import started a background read of every phone (first contact without a visit): let it finish first.
  await configReader().idle();
  const db = await getDb();
  for (const d of await db.select({ id: devices.id, address: devices.address }).from(devices)) idByIp.set(d.address.split(":")[0], d.id);

  // Rejecting phones: a leftover out-of-range keep-alive period, harmless on the phone while redundancy is off,
  // becomes invalid on the device once the job turns redundancy on. It was set locally after the portal last read
  // these phones, so the values the portal read say the change is valid: only the device can tell.
  for (const i of REJECTING) {
    expect((await syncFromDevice(idByIp.get(ip(i))!, "test")).ok).toBe(true);
    await controlPost(CONTROL, `/devices/${ip(i)}/config`, { values: { [KEYS.redundantKa]: 999 } });
  }
  for (let i = 0; i < N; i++) before.set(i, await readPhone(`${ip(i)}:8080`));
  for (const i of OFFLINE) await controlPost(CONTROL, `/devices/${ip(i)}/fault`, { mode: "offline" });

  // The real push, with its test seam: for the CONCURRENT phones someone changes an unrelated key on the device
  // after the push read the config and before its PATCH, once — the device answers 412 to the stale If-Match.
  runner = startJobRunner({
    pollMs: 50,
    backoffMs: () => 50,
    maxAttempts: 3,
    push: (input) => {
      const phoneIp = [...idByIp].find(([, id]) => id === input.deviceId)?.[0];
      const concurrent = phoneIp !== undefined && CONCURRENT.some((i) => ip(i) === phoneIp) && !concurrentDone.has(phoneIp);
      return pushDeviceConfig(input, {
        beforePatch: concurrent
          ? async () => {
              concurrentDone.add(phoneIp!);
              await controlPost(CONTROL, `/devices/${phoneIp}/config`, { values: { [KEYS.dialTimeout]: 9 } });
            }
          : undefined,
      });
    },
  });
}, 120_000);

afterAll(async () => {
  await stopJobRunner();
  await closeDeviceClients();
  await fleet?.stop();
});

describe("bulk job over 200 phones", () => {
  it("shows the common values of the selection and a per-device preview of only the changed keys", async () => {
    const selection = { filter: { site: SITE } };
    const common = await call(commonRoute.POST, "POST", "/jobs/common", { token: f.admin, body: { selection, keys: [KEYS.redundantPort, KEYS.useRedundant] } });
    expect(common.status).toBe(200);
    expect(common.body).toEqual({
      total: N,
      values: {
        [KEYS.redundantPort]: { common: true, value: 5060, holders: [{ value: 5060, devices: N }] },
        [KEYS.useRedundant]: { common: true, value: 0, holders: [{ value: 0, devices: N }] },
      },
      unread: { count: 0, names: [] },
    });

    const preview = await call(previewRoute.POST, "POST", "/jobs/preview", { token: f.admin, body: { selection, values: CHANGES } });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({ change: N, nochange: 0, invalid: 0, unread: 0, total: N });
    expect(preview.body.rows[0].diff).toEqual({
      [KEYS.useRedundant]: { from: 0, to: 1 },
      [KEYS.redundantAddress]: { from: "0.0.0.0", to: "10.46.0.2" },
      [KEYS.redundantPort]: { from: 5060, to: 5070 },
    });
  });

  it("refuses a viewer, non-bulk keys and out-of-range values before creating anything", async () => {
    const body = { filter: { site: SITE }, values: CHANGES };
    expect((await call(jobsRoute.POST, "POST", "/jobs", { token: f.viewer, body })).status).toBe(403);
    const bad = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { ...body, values: { [KEYS.redundantPort]: 80, "voip/line/0/auth_password": "x" } } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual([KEYS.redundantPort, "voip/line/0/auth_password"].sort());
    expect((await call(jobsRoute.GET, "GET", "/jobs", { token: f.admin })).body.items).toEqual([]);
  });

  it("applies 185, retries the unreachable ones then fails them, fails the rejected ones without retry", async () => {
    const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { filter: { site: SITE }, values: CHANGES, reason: "add the backup PBX" } });
    expect(created.status).toBe(201);
    jobId = created.body.id;
    await runner.idle(jobId);

    const job = (await call(jobRoute.GET, "GET", `/jobs/${jobId}`, { token: f.viewer, params: { id: jobId } })).body;
    expect(job).toMatchObject({ state: "done", createdBy: "root", reason: "add the backup PBX", values: CHANGES });
    expect(job.counts).toMatchObject({ applied: 185, failed: 15, queued: 0, running: 0, skipped: 0, total: N });
    const byIp = new Map(job.targets.map((t: { deviceId: string }) => [[...idByIp].find(([, id]) => id === t.deviceId)![0], t]));
    for (const i of OFFLINE) {
      expect(byIp.get(ip(i))).toMatchObject({ state: "failed", attempts: 3, error: { code: "unreachable" } });
      expect((byIp.get(ip(i)) as { error: { message: string } }).error.message).toMatch(/gave up after 3 attempts/);
    }
    for (const i of REJECTING) {
      const t = byIp.get(ip(i)) as { state: string; attempts: number; error: { code: string; fields: Record<string, string> } };
      expect(t).toMatchObject({ state: "failed", attempts: 1, error: { code: "rejected" } });
      expect(Object.keys(t.error.fields)).toContain(KEYS.redundantKa);
    }
    for (const i of CONCURRENT) expect(byIp.get(ip(i))).toMatchObject({ state: "applied", attempts: 1, after: CHANGES });
    expect(concurrentDone.size).toBe(CONCURRENT.length);
  });

  it("changed only the chosen keys on every phone (full config before and after)", async () => {
    for (const i of OFFLINE) await controlPost(CONTROL, `/devices/${ip(i)}/fault`, { mode: "none" });
    for (let i = 0; i < N; i++) {
      const now = await readPhone(`${ip(i)}:8080`);
      const was = before.get(i)!;
      if (OFFLINE.includes(i) || REJECTING.includes(i)) {
        expect(now, `phone ${ip(i)} must be untouched`).toEqual(was);
      } else if (CONCURRENT.includes(i)) {
        // The local change survives (never overwritten) and the job's keys are applied: two revisions.
        expect(now.values).toEqual({ ...was.values, ...CHANGES, [KEYS.dialTimeout]: 9 });
        expect(now.revision).toBe(was.revision + 2);
      } else {
        expect(now.values, `phone ${ip(i)}`).toEqual({ ...was.values, ...CHANGES });
        expect(now.revision).toBe(was.revision + 1);
      }
    }
  });

  it("records one audit entry with the results and links every applied revision to the job", async () => {
    const db = await getDb();
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.action, "job.push"), eq(auditLog.targetId, jobId)));
    expect(entries).toHaveLength(1);
    const details = entries[0].details as { reason: string; results: { counts: { applied: number; failed: number }; targets: unknown[] } };
    expect(details.reason).toBe("add the backup PBX");
    expect(details.results.counts).toMatchObject({ applied: 185, failed: 15 });
    expect(details.results.targets).toHaveLength(N);
    const linked = await db.select({ deviceId: configSnapshots.deviceId }).from(configSnapshots).where(eq(configSnapshots.jobId, jobId));
    expect(new Set(linked.map((s) => s.deviceId)).size).toBe(185);
  });

  it("the report lists every device with its outcome", async () => {
    const report = await call(reportRoute.GET, "GET", `/jobs/${jobId}/report.csv`, { token: f.viewer, params: { id: jobId } });
    expect(report.status).toBe(200);
    expect(report.res.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (report.body as string).trim().split(/\r?\n/);
    expect(lines).toHaveLength(N + 1);
    expect(lines.filter((l) => l.includes(",failed,") && l.includes("unreachable"))).toHaveLength(10);
  });

  it("retrying after the phones came back applies them; the rejecting ones fail again at once", async () => {
    const retried = await call(retryRoute.POST, "POST", `/jobs/${jobId}/retry`, { token: f.admin, params: { id: jobId } });
    expect(retried.status).toBe(200);
    await runner.idle(jobId);
    const job = (await call(jobRoute.GET, "GET", `/jobs/${jobId}`, { token: f.admin, params: { id: jobId } })).body;
    expect(job.counts).toMatchObject({ applied: 195, failed: 5 });
    for (const i of OFFLINE) {
      const now = await readPhone(`${ip(i)}:8080`);
      expect(now.values).toEqual({ ...before.get(i)!.values, ...CHANGES });
      expect(now.revision).toBe(before.get(i)!.revision + 1);
    }
  });

  it("a device whose known config would be invalid after the merge is shown invalid and excluded", async () => {
    const db = await getDb();
    const id = idByIp.get(ip(20))!;
    // Values last read with redundancy off and an out-of-range period (a phone may hold it while it does not apply).
    const [row20] = await db.select({ baseline: deviceConfigs.baseline }).from(deviceConfigs).where(eq(deviceConfigs.deviceId, id));
    await db.update(deviceConfigs).set({ baseline: { ...row20.baseline, [KEYS.useRedundant]: 0, [KEYS.redundantKa]: 999 }, drift: null }).where(eq(deviceConfigs.deviceId, id));
    const selection = { deviceIds: [id, idByIp.get(ip(21))!] };
    const values = { [KEYS.useRedundant]: 1 };
    const preview = await call(previewRoute.POST, "POST", "/jobs/preview", { token: f.admin, body: { selection, values } });
    const row = preview.body.rows.find((r: { deviceId: string }) => r.deviceId === id);
    expect(row).toMatchObject({ status: "invalid", diff: {} });
    expect(row.errors[KEYS.redundantKa]).toMatch(/0/);
    // Phone 21 already has redundancy on (from the job): nothing to change.
    expect(preview.body.counts).toMatchObject({ invalid: 1, nochange: 1, change: 0 });
    const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { deviceIds: selection.deviceIds, values } });
    await runner.idle(created.body.id);
    const job = (await call(jobRoute.GET, "GET", `/jobs/${created.body.id}`, { token: f.admin, params: { id: created.body.id } })).body;
    expect(job.targets.find((t: { deviceId: string }) => t.deviceId === id)).toMatchObject({ state: "skipped", attempts: 0, error: { code: "invalid" } });
    expect(job.counts).toMatchObject({ skipped: 2, applied: 0 });
  });
});
