// A job interrupted by SIGKILL resumes in the next process and applies every target exactly once: each phone's
// config revision advances by exactly one (a second PATCH would advance it again). The runner runs in child
// processes on the same database (this test closes its own pool while a child runs, as it would if it were elsewhere).
// Loopback: phones 127.46.2.1–24:8080, control 127.46.0.2:8080.
import { spawn, type ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import { call } from "@/tests/support/api";
import { closeDb, getDb } from "@/lib/db";
import { pushJobs, pushTargets } from "@/lib/db/schema";
import { useApiFixture } from "../api/support";
import { controlPost, inventoryCsv, KEYS, PASS, readPhone, USER } from "./support/emulator";

const N = 24;
const ip = (i: number) => `127.46.2.${i + 1}`;
const CONTROL = "127.46.0.2:8080";
const CHANGES = { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.46.0.3", [KEYS.redundantPort]: 5080 };

const f = useApiFixture();
let fleet: Emulator;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: ip(0), httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.46.0.2", controlPort: 8080 });
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await fleet?.stop();
});

/** Starts the runner process; resolves `until` when a stdout line matches. */
function runnerProcess(): { child: ChildProcess; until: (re: RegExp) => Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--require", "./tests/jobs/support/server-only-off.cjs", "--import", "tsx", "tests/jobs/support/runner-child.ts"], {
    env: { ...process.env, DATA_DIR: f.dir, JOB_CONCURRENCY: "4", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    for (const line of out.split("\n")) for (const w of [...waiters]) if (w.re.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
  });
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => (children.delete(child), resolve(code))));
  exited.then((code) => {
    for (const w of waiters) w.resolve(`exited ${code}: ${err.slice(-2000)}`);
  });
  return { child, exited, until: (re) => new Promise((resolve) => waiters.push({ re, resolve })) };
}

it("a job killed with SIGKILL mid-way resumes in a new process and applies every target exactly once", async () => {
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => `${ip(i)}:8080`), "resume") });
  expect(imported.status).toBe(200);
  const before = await Promise.all(Array.from({ length: N }, (_, i) => readPhone(`${ip(i)}:8080`)));
  // Slow phones: every answer takes 250 ms, so a push (read, PATCH, read back) is in flight long enough to be killed.
  for (let i = 0; i < N; i++) await controlPost(CONTROL, `/devices/${ip(i)}/fault`, { mode: "slow", delayMs: 250 });

  // Created with the runner of this process stopped (none started): the job waits in the table.
  const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { filter: { site: "resume" }, values: CHANGES } });
  expect(created.status).toBe(201);
  const jobId = created.body.id as string;
  const { stopJobRunner } = await import("@/lib/jobs");
  await stopJobRunner();
  await closeDb();

  const first = runnerProcess();
  // Kill once a few targets are done and others are in flight.
  const line = await first.until(/^progress ([4-9]|1\d) /);
  expect(line).toMatch(/^progress/);
  first.child.kill("SIGKILL");
  await first.exited;
  // The crash left targets running (claimed, maybe PATCHed, outcome never recorded): the case resume must handle.
  const left = await (await getDb()).select({ state: pushTargets.state }).from(pushTargets).where(eq(pushTargets.jobId, jobId));
  expect(left.filter((t) => t.state === "running").length).toBeGreaterThan(0);
  expect(left.filter((t) => t.state === "queued").length).toBeGreaterThan(0);
  await closeDb();

  const second = runnerProcess();
  expect(await second.until(/^idle$/)).toBe("idle");
  expect(await second.exited).toBe(0);

  const db = await getDb();
  const [job] = await db.select().from(pushJobs).where(eq(pushJobs.id, jobId));
  expect(job.state).toBe("done");
  const targets = await db.select().from(pushTargets).where(eq(pushTargets.jobId, jobId));
  expect(targets.map((t) => [t.state, t.error?.message])).toEqual(Array(N).fill(["applied", undefined]));
  for (let i = 0; i < N; i++) {
    const now = await readPhone(`${ip(i)}:8080`);
    expect(now.values, `phone ${ip(i)}`).toEqual({ ...before[i].values, ...CHANGES });
    expect(now.revision, `phone ${ip(i)} must have been patched exactly once`).toBe(before[i].revision + 1);
  }
}, 120_000);
