// Issue 15: a job's results never hide failure. Against the real emulator, runner and poller: a phone the status
// poller already knows is unreachable fails after one attempt; one it does not know about is retried with the
// backoff from JOB_BACKOFF_MS up to JOB_MAX_ATTEMPTS; the job ends "finished_with_failures"; after "Retry failed"
// every earlier attempt (when, what, the error) is still in the target's history.
// Loopback (ui-b's range): phones 127.73.1.1–3:8080, control 127.73.0.1:8080.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import * as jobRoute from "@/app/api/v1/jobs/[id]/route";
import * as retryRoute from "@/app/api/v1/jobs/[id]/retry/route";
import * as reportRoute from "@/app/api/v1/jobs/[id]/report.csv/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import { call } from "@/tests/support/api";
import { closeDeviceClients } from "@/lib/device";
import { getDb } from "@/lib/db";
import { deviceStatus, devices } from "@/lib/db/schema";
import { startJobRunner, stopJobRunner, type JobRunner } from "@/lib/jobs";
import { Poller } from "@/lib/poller";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { controlPost, inventoryCsv, KEYS } from "./support/emulator";

const CONTROL = "127.73.0.1:8080";
const ip = (i: number) => `127.73.1.${i + 1}`;
const [OK, KNOWN_DOWN, NEWLY_DOWN] = [0, 1, 2];
const CHANGES = { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.73.0.2", [KEYS.redundantPort]: 5071 };
const BACKOFF_MS = 30;

const f = useApiFixture();
let fleet: Emulator;
let runner: JobRunner;
let jobId = "";
const idByIp = new Map<string, string>();
const env = { ...process.env };

type Target = { deviceId: string; state: string; attempts: number; error: { code: string; message: string } | null; history: Array<{ at: string; outcome: string; attempt?: number; code?: string; message?: string; by?: string; nextAttemptAt?: string }> };
const getJob = async () => (await call(jobRoute.GET, "GET", `/jobs/${jobId}`, { token: f.viewer, params: { id: jobId } })).body as { state: string; outcome: string; counts: Record<string, number>; targets: Target[] };
const target = (job: { targets: Target[] }, i: number) => job.targets.find((t) => t.deviceId === idByIp.get(ip(i)))!;

beforeAll(async () => {
  // The runner reads its retry policy from the environment when no option overrides it.
  process.env.JOB_MAX_ATTEMPTS = "3";
  process.env.JOB_BACKOFF_MS = String(BACKOFF_MS);
  fleet = await startFleet({ devices: 3, firstIp: ip(0), httpPort: 8080, sip: false, username: "admin", password: "bulk-pass", controlHost: "127.73.0.1", controlPort: 8080 });
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv([0, 1, 2].map((i) => `${ip(i)}:8080`), "att") });
  expect(imported.status).toBe(200);
  const db = await getDb();
  for (const d of await db.select({ id: devices.id, address: devices.address }).from(devices)) idByIp.set(d.address.split(":")[0], d.id);

  // The real poller learns that one phone is unreachable; it is stopped before the second phone goes away, so
  // the portal has no such knowledge about that one.
  await controlPost(CONTROL, `/devices/${ip(KNOWN_DOWN)}/fault`, { mode: "offline" });
  const poller = new Poller({ intervalS: 0.2, concurrency: 4, timeoutMs: 1_000 });
  await poller.start();
  await eventually("poller marks the phone unreachable", async () => (await db.select().from(deviceStatus).where(eq(deviceStatus.deviceId, idByIp.get(ip(KNOWN_DOWN))!)))[0]?.state, (s) => s === "unreachable");
  await poller.stop();
  await controlPost(CONTROL, `/devices/${ip(NEWLY_DOWN)}/fault`, { mode: "offline" });
  runner = startJobRunner({ pollMs: 20 });
}, 60_000);

afterAll(async () => {
  await stopJobRunner();
  await closeDeviceClients();
  await fleet?.stop();
  process.env = env;
});

describe("job attempts and outcome", () => {
  it("fails a phone the poller knows is unreachable at once, retries the other with the configured backoff", async () => {
    const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { filter: { site: "att" }, values: CHANGES } });
    expect(created.status).toBe(201);
    jobId = created.body.id;
    await runner.idle(jobId);
    const job = await getJob();
    expect(job).toMatchObject({ state: "done", outcome: "finished_with_failures" });
    expect(job.counts).toMatchObject({ applied: 1, failed: 2, total: 3 });

    expect(target(job, OK)).toMatchObject({ state: "applied", attempts: 1 });
    expect(target(job, OK).history).toEqual([expect.objectContaining({ outcome: "applied", attempt: 1 })]);

    const known = target(job, KNOWN_DOWN);
    expect(known).toMatchObject({ state: "failed", attempts: 1, error: { code: "unreachable" } });
    expect(known.error!.message).toMatch(/not retried: the status poller cannot reach this phone either/);
    expect(known.history.map((h) => h.outcome)).toEqual(["failed"]);

    const newly = target(job, NEWLY_DOWN);
    expect(newly).toMatchObject({ state: "failed", attempts: 3 });
    expect(newly.error!.message).toMatch(/gave up after 3 attempts/);
    expect(newly.history.map((h) => [h.attempt, h.outcome, h.code])).toEqual([
      [1, "retrying", "unreachable"],
      [2, "retrying", "unreachable"],
      [3, "failed", "unreachable"],
    ]);
    // JOB_BACKOFF_MS, doubled per attempt.
    const delays = newly.history.slice(0, 2).map((h) => Date.parse(h.nextAttemptAt!) - Date.parse(h.at));
    expect(delays).toEqual([BACKOFF_MS, BACKOFF_MS * 2]);
    for (const h of newly.history) expect(h.message).toMatch(new RegExp(ip(NEWLY_DOWN).replace(/\./g, "\\.")));
  });

  it("keeps every earlier attempt after Retry failed, and the job then finishes cleanly", async () => {
    for (const i of [KNOWN_DOWN, NEWLY_DOWN]) await controlPost(CONTROL, `/devices/${ip(i)}/fault`, { mode: "none" });
    // The poller would see the phone answer again; stand in for it by clearing what it had recorded.
    const db = await getDb();
    await db.delete(deviceStatus).where(eq(deviceStatus.deviceId, idByIp.get(ip(KNOWN_DOWN))!));
    const retried = await call(retryRoute.POST, "POST", `/jobs/${jobId}/retry`, { token: f.admin, params: { id: jobId } });
    expect(retried.status).toBe(200);
    await runner.idle(jobId);
    const job = await getJob();
    expect(job).toMatchObject({ state: "done", outcome: "succeeded" });
    expect(job.counts).toMatchObject({ applied: 3, failed: 0 });
    expect(target(job, NEWLY_DOWN).history.map((h) => [h.outcome, h.code ?? h.by ?? null])).toEqual([
      ["retrying", "unreachable"],
      ["retrying", "unreachable"],
      ["failed", "unreachable"],
      ["retry_requested", "root"],
      ["applied", null],
    ]);
    expect(target(job, OK).history).toHaveLength(1);

    const report = await call(reportRoute.GET, "GET", `/jobs/${jobId}/report.csv`, { token: f.viewer, params: { id: jobId } });
    const line = (report.body as string).split(/\r?\n/).find((l) => l.includes(idByIp.get(ip(NEWLY_DOWN))!))!;
    expect(line).toMatch(/retrying unreachable.*failed unreachable.*retry_requested root.*applied/);
  });

  it("audit: per-device entries of the job are grouped under its job.push entry and listed by ?job=", async () => {
    const audit = async (qs: string) => (await call(auditRoute.GET, "GET", `/audit?${qs}`, { token: f.viewer })).body as { items: Array<{ action: string; targetType: string | null; targetId: string | null; details: Record<string, unknown> | null; jobEntries?: number }>; total: number };
    const perDevice = await audit(`job=${jobId}&limit=500`);
    // Three phones: a push each that worked, and one failure record per failed attempt (1 + 3).
    expect(perDevice.items.filter((i) => i.action === "config.push")).toHaveLength(3);
    expect(perDevice.items.filter((i) => i.action === "config.push_failed")).toHaveLength(4);
    for (const i of perDevice.items) expect(i).toMatchObject({ targetType: "device", details: { jobId } });

    const grouped = await audit("groupJobs=1&limit=500");
    expect(grouped.items.filter((i) => i.targetType === "device" && i.details?.jobId)).toEqual([]);
    const job = grouped.items.find((i) => i.action === "job.push" && i.targetId === jobId)!;
    expect(job.jobEntries).toBe(perDevice.total);
    const ungrouped = await audit("limit=500");
    expect(ungrouped.total).toBe(grouped.total + perDevice.total);
    expect((await call(auditRoute.GET, "GET", "/audit?job=nope", { token: f.viewer })).status).toBe(422);
  });
});
