// `npm run worker` and the shutdown shape (lib/lifecycle): a worker process runs a bulk job on the test database;
// SIGTERM mid-job makes it finish the pushes in flight and exit 0 (nothing left `running`, the rest still queued);
// a restarted worker finishes the job, and every phone's config revision advanced by exactly one (a change applied
// twice would advance it twice). The job's progress reaches THIS process through PostgreSQL NOTIFY (lib/events/relay).
// Loopback: phones 127.66.1.1–24:8080, emulator control 127.66.0.2:8080.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import { call } from "@/tests/support/api";
import { getDb } from "@/lib/db";
import { pushJobs, pushTargets } from "@/lib/db/schema";
import { createEventBus, startEventRelay, type EventRelay, type JobEvent } from "@/lib/events";
import { useApiFixture } from "../api/support";
import { controlPost, inventoryCsv, KEYS, PASS, readPhone, USER } from "../jobs/support/emulator";
import { killWorkers, until, worker } from "./support";

const N = 24;
const ip = (i: number) => `127.66.1.${i + 1}`;
const CHANGES = { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.66.0.3", [KEYS.redundantPort]: 5082 };

const f = useApiFixture();
let fleet: Emulator;
let relay: EventRelay;
const bus = createEventBus();
const jobEvents: JobEvent[] = [];

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: ip(0), httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.66.0.2", controlPort: 8080 });
  relay = startEventRelay(bus, process.env.DATABASE_URL!);
  await relay.ready;
  bus.subscribe("job", (e) => jobEvents.push(e));
});
afterAll(async () => {
  killWorkers();
  await relay?.stop();
  await fleet?.stop();
});

const states = async (jobId: string) => (await (await getDb()).select({ state: pushTargets.state }).from(pushTargets).where(eq(pushTargets.jobId, jobId))).map((t) => t.state);

it("SIGTERM mid-job: in-flight pushes finish, exit 0, nothing lost; a restarted worker finishes; each phone changed once", async () => {
  expect(process.env.DATABASE_URL).toBeTruthy();
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => `${ip(i)}:8080`), "lifecycle") });
  expect(imported.status).toBe(200);
  const before = await Promise.all(Array.from({ length: N }, (_, i) => readPhone(`${ip(i)}:8080`)));
  // Slow phones (300 ms per answer): a push takes ~1 s, so the SIGTERM finds some in flight.
  for (let i = 0; i < N; i++) await controlPost("127.66.0.2:8080", `/devices/${ip(i)}/fault`, { mode: "slow", delayMs: 300 });

  const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { filter: { site: "lifecycle" }, values: CHANGES } });
  expect(created.status).toBe(201);
  const jobId = created.body.id as string;
  const { stopJobRunner } = await import("@/lib/jobs");
  await stopJobRunner(); // this process only watches: the workers do the work

  const first = worker({ POLLER: "off", JOB_CONCURRENCY: "4" });
  expect(await first.ready).toMatch(/ready/);
  // Progress published by the worker arrives here through NOTIFY.
  await until("4 targets done (seen through NOTIFY)", async () => jobEvents.some((e) => e.jobId === jobId && e.done >= 4));
  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  const afterStop = await states(jobId);
  expect(afterStop.filter((s) => s === "running")).toEqual([]); // in-flight pushes were finished, not dropped
  expect(afterStop.filter((s) => s === "queued").length).toBeGreaterThan(0); // the job really was cut in the middle

  const second = worker({ POLLER: "off", JOB_CONCURRENCY: "4" });
  expect(await second.ready).toMatch(/ready/);
  await until("the job done", async () => (await (await getDb()).select({ state: pushJobs.state }).from(pushJobs).where(eq(pushJobs.id, jobId)))[0].state === "done");
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  expect(await states(jobId)).toEqual(Array(N).fill("applied"));
  for (let i = 0; i < N; i++) {
    const now = await readPhone(`${ip(i)}:8080`);
    expect(now.values, `phone ${ip(i)}`).toEqual({ ...before[i].values, ...CHANGES });
    expect(now.revision, `phone ${ip(i)} must have been patched exactly once`).toBe(before[i].revision + 1);
  }
}, 180_000);
