// Bulk push benchmark: time to push one change to 1,000 emulated phones through a job (runner → lib/push: read,
// PATCH with If-Match, read back, record in PostgreSQL) vs a raw loop (GET for the revision + PATCH with If-Match)
// with the same concurrency on the same emulator in the same run. Figures and ratios, not pass/fail.
// The emulator runs in its own process (on the emulator's core when scripts/bench.mjs pins), the job in this one.
// Loopback: phones 127.67.1.1…, control 127.67.0.1:8099, no SIP. `--json-out FILE` writes the figures.
//   npx tsx bench/bulk-push.ts [--devices 1000] [--concurrency 16] [--json-out FILE]   (BENCH_DEVICES / BENCH_CONCURRENCY too)
// `--cpu-prof FILE.cpuprofile` profiles this process during the job only (not the set-up, raw loop or reads before).
// `server-only` throws outside Next; the same preload the tests use maps it to an empty module.
require("../tests/jobs/support/server-only-off.cjs");
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { request } from "undici";
import { nthIp } from "../emulator/src/fleet/ip";
import { startEmulator } from "./support/emulator";
import { startProfile } from "./support/profile";
import { ratio, type PushFigures } from "./support/stats";

const { values: flags } = parseArgs({
  options: { devices: { type: "string" }, concurrency: { type: "string" }, "json-out": { type: "string" }, statements: { type: "boolean" }, unread: { type: "boolean" }, "cpu-prof": { type: "string" } },
});
const N = Number(flags.devices || process.env.BENCH_DEVICES || 1000);
const C = Number(flags.concurrency || process.env.BENCH_CONCURRENCY || 16);
const FIRST_IP = "127.67.1.1";
const CONTROL = "127.67.0.1:8099";
const USER = "admin";
const PASS = "bench";
const KEYS = { use: "voip/signalling/sip/redundant/use_redundant_proxy", addr: "voip/signalling/sip/redundant/redundant_proxy_address", port: "voip/signalling/sip/redundant/redundant_proxy_port" };
const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;

const ipOf = (i: number) => nthIp(FIRST_IP, i);

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function rawPatch(address: string, values: Record<string, unknown>): Promise<void> {
  const got = await request(`http://${address}/api/v1/config`, { headers: { authorization: auth } });
  const etag = got.headers.etag as string;
  await got.body.dump();
  const res = await request(`http://${address}/api/v1/config`, {
    method: "PATCH",
    headers: { authorization: auth, "content-type": "application/json", "if-match": etag },
    body: JSON.stringify({ values }),
  });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`raw PATCH ${address}: ${res.statusCode}`);
}

/**
 * Where the job's time goes on the database side: statements and transactions sent by this process, counted on
 * node-postgres' Client (every pooled connection), and the time they were in flight.
 */
interface DbMeter {
  statements: number;
  transactions: number;
  /** Summed ms statements were in flight (overlapping statements on several connections add up). */
  busyMs: number;
  /** Per statement shape (its first 60 characters): count and summed in-flight ms, with `--statements`. */
  byText: Map<string, { n: number; ms: number }>;
  reset(): void;
}

async function meterPg(): Promise<DbMeter> {
  const { Client } = await import("pg");
  const m: DbMeter = { statements: 0, transactions: 0, busyMs: 0, byText: new Map(), reset() { m.statements = m.transactions = m.busyMs = 0; m.byText.clear(); } };
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    m.statements++;
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (text && /^\s*begin/i.test(text)) m.transactions++;
    const t = performance.now();
    const shape = flags.statements ? (text ?? "?").replace(/\s+/g, " ").trim().slice(0, 60) : "";
    const done = () => {
      const ms = performance.now() - t;
      m.busyMs += ms;
      if (!flags.statements) return;
      const e = m.byText.get(shape) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += ms;
      m.byText.set(shape, e);
    };
    // pg's Pool passes a callback (no promise back): time it through the callback.
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last] as (...a: unknown[]) => unknown;
      args[last] = (...a: unknown[]) => (done(), cb(...a));
    }
    const r = query.apply(this, args);
    if (r && typeof (r as Promise<unknown>).finally === "function") (r as Promise<unknown>).finally(done).catch(() => {});
    return r;
  };
  return m;
}

/**
 * CPU seconds used so far by the embedded PostgreSQL server, from /proc: its connection backends, and the rest
 * (postmaster, WAL writer, checkpointer, autovacuum — including children it already reaped). It shares the portal's
 * core when pinned, so its CPU is part of the job's cost.
 */
function postgresCpuS(dataDir: string): { backends: number; other: number } | null {
  try {
    const postmaster = Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const tick = 100; // USER_HZ on Linux
    // Fields after the parenthesised comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    const own = stat(postmaster);
    const out = { backends: 0, other: (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) / tick };
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const f = stat(pid);
        if (Number(f[1]) !== postmaster) continue;
        // A connection's title is "postgres: <user> <database> <client> <state>"; background processes name their role.
        const backend = /\[local\]|\d+\.\d+\.\d+\.\d+\(/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
        out[backend ? "backends" : "other"] += (Number(f[11]) + Number(f[12])) / tick;
      } catch {
        // exited meanwhile: counted in the postmaster's cutime once reaped
      }
    }
    return out;
  } catch {
    return null; // DATABASE_URL: not ours to measure
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-bulk-"));
  process.env.DATA_DIR = dir;
  process.env.LOG_LEVEL ??= "warn";
  const fleet = await startEmulator({ devices: N, firstIp: FIRST_IP, control: CONTROL, username: USER, password: PASS });
  const { getDb, closeDb } = await import("@/lib/db");
  const { insertDevices } = await import("@/lib/inventory/devices");
  const { createJob } = await import("@/lib/jobs/store");
  const { createJobRunner } = await import("@/lib/jobs/runner");
  const { pushDeviceConfig } = await import("@/lib/push");
  const { closeDeviceClients } = await import("@/lib/device");
  try {
    const db = await getDb();
    const rows = await db.transaction((tx) => insertDevices(tx, Array.from({ length: N }, (_, i) => ({ name: `bench-${i}`, address: `${ipOf(i)}:8080`, username: USER, password: PASS, site: "bench", tags: [] }))));
    const addresses = rows.map((r) => r.address);

    let t0 = performance.now();
    await pool(addresses, C, (a) => rawPatch(a, { [KEYS.use]: 1, [KEYS.addr]: "10.47.0.1", [KEYS.port]: 5061 }));
    const rawS = (performance.now() - t0) / 1000;

    // The portal reads every phone it is given (lib/push background reads) long before anyone bulk-edits them, so
    // the job runs on phones already read; `--unread` measures the first-contact path instead (each push reads first).
    if (!flags.unread) {
      const { backgroundSync } = await import("@/lib/push");
      await pool(rows.map((r) => r.id), C, async (id) => {
        const r = await backgroundSync(id);
        if (!r || !("ok" in r) || !r.ok) throw new Error(`reading ${id} before the job failed`);
      });
    }
    const meter = await meterPg();
    // The runner's own push, timed per target (device I/O + lib/push's database work); the rest is the runner's.
    let pushMs = 0;
    const runner = createJobRunner({
      push: async (input) => {
        const t = performance.now();
        try { return await pushDeviceConfig(input); } finally { pushMs += performance.now() - t; }
      },
    });
    meter.reset();
    const profiler = flags["cpu-prof"] ? await startProfile() : null;
    const cpu0 = process.cpuUsage();
    const pg0 = postgresCpuS(dir);
    t0 = performance.now();
    const job = await createJob({ selection: { filter: { site: "bench" } }, values: { [KEYS.use]: 1, [KEYS.addr]: "10.47.0.2", [KEYS.port]: 5062 }, concurrency: C }, "bench");
    runner.wake();
    await runner.idle(job.id);
    const jobS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const pg1 = postgresCpuS(dir);
    const pgCpu = pg0 && pg1 ? { backends: pg1.backends - pg0.backends, other: pg1.other - pg0.other } : null;
    const pgCpuS = pgCpu ? pgCpu.backends + pgCpu.other : null;
    if (profiler) writeFileSync(flags["cpu-prof"]!, JSON.stringify(await profiler.stop()));
    const db0 = { ...meter, byText: new Map(meter.byText) };
    await runner.stop();
    const { jobCounts } = await import("@/lib/jobs/store");
    const counts = (await jobCounts(db, [job.id])).get(job.id)!;

    console.log(`bulk push: ${N} phones${flags.unread ? " never read (first contact)" : " read before"}, concurrency ${C} (same emulator, same run)`);
    console.log(`  raw loop (GET + PATCH If-Match):   ${rawS.toFixed(2)} s  ${(N / rawS).toFixed(0)} devices/s`);
    console.log(`  job (read, PATCH, read back, DB):  ${jobS.toFixed(2)} s  ${(N / jobS).toFixed(0)} targets/s  (applied ${counts.applied}, failed ${counts.failed})`);
    console.log(`  job / raw time: ${(jobS / rawS).toFixed(2)}×`);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    console.log(`  job phases: process CPU ${cpuS.toFixed(2)} s (${((cpuS / N) * 1000).toFixed(2)} ms/target, emulator excluded; user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s); pushDeviceConfig ${(pushMs / N).toFixed(1)} ms/target (wall, ${C} in flight)`);
    if (pgCpu && pgCpuS !== null)
      console.log(`  PostgreSQL server CPU: ${pgCpuS.toFixed(2)} s (${((pgCpuS / N) * 1000).toFixed(2)} ms/target; connections ${pgCpu.backends.toFixed(2)} s, background processes ${pgCpu.other.toFixed(2)} s); portal side together ${(((cpuS + pgCpuS) / N) * 1000).toFixed(2)} ms/target`);
    const per = (n: number) => (n / N).toFixed(1);
    console.log(`  job database (PostgreSQL): per target ${per(db0.statements)} statements, ${per(db0.transactions)} transactions; statements in flight ${(db0.busyMs / 1000).toFixed(2)} s summed over connections`);
    if (flags.statements)
      for (const [text, e] of [...db0.byText].sort((a, b) => b[1].ms - a[1].ms))
        console.log(`    ${(e.n / N).toFixed(2).padStart(6)}/target ${(e.ms / e.n).toFixed(2).padStart(7)} ms avg  ${text}`);
    const figures: PushFigures = {
      pushDevices: N,
      pushConcurrency: C,
      pushSeconds: Math.round(jobS * 100) / 100,
      pushRawSeconds: Math.round(rawS * 100) / 100,
      pushRatio: ratio(jobS, rawS, false),
      pushApplied: counts.applied,
      pushFailed: counts.failed,
      pushStatementsPerTarget: Math.round((db0.statements / N) * 10) / 10,
    };
    if (flags["json-out"]) writeFileSync(flags["json-out"], JSON.stringify(figures, null, 2));
  } finally {
    await closeDeviceClients();
    await closeDb();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
