// A bulk job across a worker killed with SIGKILL: two `npm run worker` processes push to 24 slow phones; one is
// killed mid-job, leaving its targets `running`; the other notices that their claimer is gone (it is no longer in
// pg_stat_activity), re-checks each phone — already applied → recorded, else pushed — and finishes the job. Every
// phone holds the change and its config revision went up by exactly one (a change applied twice would make it two).
// Loopback: phones 127.66.4.1–24:8080, emulator control 127.66.0.4:8080.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import { call } from "@/tests/support/api";
import { getDb } from "@/lib/db";
import { pushJobs, pushTargets } from "@/lib/db/schema";
import { useApiFixture } from "../api/support";
import { controlPost, inventoryCsv, KEYS, PASS, readPhone, USER } from "../jobs/support/emulator";
import { killWorkers, until, worker } from "./support";

const N = 24;
const ip = (i: number) => `127.66.4.${i + 1}`;
const CHANGES = { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.66.4.3", [KEYS.redundantPort]: 5084 };
process.env.POLLER = "off"; // this process only creates the job and watches
const f = useApiFixture();
let fleet: Emulator;

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: ip(0), httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.66.0.4", controlPort: 8080 });
});
afterAll(async () => {
  killWorkers();
  await fleet?.stop();
});

const targets = async (jobId: string) => (await getDb()).select({ state: pushTargets.state, history: pushTargets.history }).from(pushTargets).where(eq(pushTargets.jobId, jobId));

it("SIGKILL of one worker mid-job: the other takes its pushes over and every phone is changed exactly once", async () => {
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => `${ip(i)}:8080`), "takeover") });
  expect(imported.status).toBe(200);
  const before = await Promise.all(Array.from({ length: N }, (_, i) => readPhone(`${ip(i)}:8080`)));
  // Slow phones (400 ms per answer): a push takes over a second, so the kill finds pushes in flight.
  for (let i = 0; i < N; i++) await controlPost("127.66.0.4:8080", `/devices/${ip(i)}/fault`, { mode: "slow", delayMs: 400 });
  const { stopJobRunner } = await import("@/lib/jobs");
  await stopJobRunner();

  const env = { POLLER: "off", JOBS: "on", JOB_CONCURRENCY: "4" };
  const one = worker(env);
  const two = worker(env);
  expect(await one.ready).toMatch(/ready/);
  expect(await two.ready).toMatch(/ready/);
  const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { filter: { site: "takeover" }, values: CHANGES } });
  expect(created.status).toBe(201);
  const jobId = created.body.id as string;

  // Kill the worker that holds pushes in flight (its pid is in the claim's application_name).
  const claimer = await until("pushes in flight", async () => {
    const rows = await (await getDb()).select({ state: pushTargets.state, by: pushTargets.claimedBy }).from(pushTargets).where(eq(pushTargets.jobId, jobId));
    const running = rows.filter((t) => t.state === "running" && t.by);
    return running.length >= 2 && Number(running[0].by!.split("/")[2]);
  });
  const [victim, survivor] = claimer === one.child.pid ? [one, two] : [two, one];
  expect(victim.child.pid).toBe(claimer);
  victim.child.kill("SIGKILL");
  await victim.exited;
  const cut = await targets(jobId);
  expect(cut.some((t) => t.state === "running")).toBe(true); // the dead worker left pushes running
  expect(cut.some((t) => t.state === "queued")).toBe(true); // and the job really was cut in the middle

  await until("the job done", async () => (await (await getDb()).select({ state: pushJobs.state }).from(pushJobs).where(eq(pushJobs.id, jobId)))[0].state === "done", 120_000);
  const done = await targets(jobId);
  expect(done.map((t) => t.state)).toEqual(Array(N).fill("applied"));
  // The dead worker's pushes were taken over (recorded as such), not lost.
  expect(done.filter((t) => t.history.some((h) => h.outcome === "interrupted" || h.outcome === "resumed_applied")).length).toBeGreaterThan(0);
  for (let i = 0; i < N; i++) {
    const now = await readPhone(`${ip(i)}:8080`);
    expect(now.values, `phone ${ip(i)}`).toEqual({ ...before[i].values, ...CHANGES });
    expect(now.revision, `phone ${ip(i)} must have been changed exactly once`).toBe(before[i].revision + 1);
  }
  survivor.child.kill("SIGTERM");
  expect(await survivor.exited).toBe(0);
}, 180_000);
