// Poller benchmark at one fleet size: N emulated phones (device API only, --no-sip) in their own process (on the
// emulator's core when scripts/bench.mjs pins); in this process, the portal's side: the embedded PostgreSQL, the
// real poller, the event bus and GET /api/v1/events served over HTTP. Measured in the same run on the same emulator:
//   1. a raw conditional GET /status loop at concurrency C (the HTTP ceiling, in its own process on this core:
//      bench/support/raw-loop.ts) vs the poller saturated (interval 0.1 s) at C;
//   2. status lag at the poll interval (default 15 s), with the poller holding every phone's status long-poll
//      (`--wait`, default the interval; `--wait 0` = interval polls only, as before): phones taken offline through
//      the control surface → the poller's `status` bus event, → a real EventSource client in its own process (bench/support/sse-client.ts),
//      and the ceiling: a raw client holding each phone's long-poll (GET /status?wait=) sees the same change;
//   3. this process's peak RSS (poller + undici + pg + the SSE route; emulator, raw loop and PostgreSQL server excluded), and
//      process.memoryUsage() at each step (where the memory goes).
// Figures and ratios, no pass/fail; stops by itself. `--json-out FILE` writes the figures (bench/support/stats.ts).
//   npx tsx bench/poller.ts [--devices 1000] [--seconds 10] [--concurrency 64] [--interval 15] [--wait 15] [--lag-devices 200]
// `--cpu-prof FILE.cpuprofile` profiles this process during the saturated poller phase only.
// Loopback range 127.45/16: phones from 127.45.1.1:8080, control surface 127.45.0.1:8099, the portal on 127.45.0.2.
// `server-only` throws outside Next; the same preload the tests use maps it to an empty module.
require("../tests/jobs/support/server-only-off.cjs");
import { startEmulators, onEmulatorCpu, rssMbOf } from "./support/emulator";
import { startProfile } from "./support/profile";
import { stopChild } from "./support/child";
import { percentile, perSecond, ratio, type ScaleFigures } from "./support/stats";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const { values: flags } = parseArgs({
  options: {
    devices: { type: "string", default: "1000" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "64" },
    interval: { type: "string", default: "15" },
    wait: { type: "string" },
    "lag-devices": { type: "string", default: "200" },
    "json-out": { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
const DEVICES = Number(flags.devices);
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const LAG_INTERVAL_S = Number(flags.interval);
/** Held long-poll wait of the lag phase; undefined = the poller's default (the interval). */
const WAIT_S = flags.wait === undefined ? undefined : Number(flags.wait);
const LAG_DEVICES = Math.min(DEVICES, Number(flags["lag-devices"]));
const FIRST_IP = "127.45.1.1";
const CONTROL = "127.45.0.1:8099";
const PORTAL_HOST = "127.45.0.2";
const USER = "admin";
const PASS = "bench-pass";
const VIEWER = { username: "bench-viewer", password: "bench-viewer-password" };

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-poller-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL = "silent";
process.env.POLLER = "off";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const fmt = (ms: number | null) => (ms === null ? "–" : `${Math.round(ms)} ms`);

import * as undici from "undici";
import { nthIp } from "../emulator/src/fleet/ip";

const AUTH = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;

let controlFor: (index: number) => string = () => CONTROL;

async function control(index: number, pathname: string, body: unknown): Promise<void> {
  // One connection per call (`reset`): a kept-alive control socket the emulator closed while idle would make the
  // next call fail with "other side closed" (the session-6 run at 10,000 died of one such error in the lag phase).
  const res = await undici.request(`http://${controlFor(index)}${pathname}`, { method: "POST", reset: true, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${pathname}: ${res.statusCode} ${text}`);
}

/** The HTTP ceiling, in its own process on this core: bench/support/raw-loop.ts. */
async function rawLoop(concurrency: number, warmupMs: number, ms: number): Promise<{ ok: number; failed: number; ms: number; cpuUs: number }> {
  const args = ["--import", "tsx", "bench/support/raw-loop.ts", FIRST_IP, String(DEVICES), "8080", String(concurrency), String(warmupMs), String(ms), USER, PASS];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (chunk) => (out += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/support/raw-loop.ts exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as { ok: number; failed: number; ms: number; cpuUs: number };
}

/** The ceiling of the status lag: a raw client already holding each phone's long-poll; resolves with the time each saw a change. */
function holdLongPolls(addresses: string[]): { agent: undici.Agent; seen: Map<string, number> } {
  const agent = new undici.Agent({ connections: 1, headersTimeout: 70_000, bodyTimeout: 70_000 });
  const seen = new Map<string, number>();
  for (const address of addresses) {
    undici
      .request(`http://${address}/api/v1/status?wait=55`, { headers: { authorization: AUTH }, dispatcher: agent })
      .then((res) => res.body.dump())
      .catch(() => {})
      .finally(() => seen.set(address, Date.now()));
  }
  return { agent, seen };
}

/** process.memoryUsage() at named steps (MB): where this process's memory goes. */
const memorySteps: Array<{ step: string; rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number }> = [];
function memoryStep(step: string): void {
  // Under `node --expose-gc` the figures are what is retained, not what the collector has not reclaimed yet.
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  memorySteps.push({ step, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) });
  console.log(`  memory ${step}: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB`);
}

/** Peak RSS of this process, sampled every 250 ms. */
function rssSampler(): { peakMb: () => number; stop: () => void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  return { peakMb: () => mb(Math.max(peak, process.memoryUsage().rss)), stop: () => clearInterval(timer) };
}

async function main(): Promise<void> {
  const db = await import("@/lib/db");
  const inventory = await import("@/lib/inventory/devices");
  const device = await import("@/lib/device");
  const events = await import("@/lib/events");
  const poller = await import("@/lib/poller");
  const auth = await import("@/lib/auth");
  const eventsRoute = await import("@/app/api/v1/events/route");
  const { createAdaptorServer } = await import("@hono/node-server");
  let emulator: Awaited<ReturnType<typeof startEmulators>> | null = null;
  let sseClient: ChildProcess | null = null;
  let portal: Server | null = null;
  const rss = rssSampler();
  // A pg client cut off while the embedded server stops at teardown (after the figures are written) emits an
  // unhandled 'error'; it must not turn a finished run into a failed one (scripts/bench.mjs drops failed sizes).
  let tearingDown = false;
  process.on("uncaughtException", (err) => {
    if (!tearingDown) throw err;
    console.warn(`bench/poller: ignored at teardown: ${err.message}`);
  });
  try {
    memoryStep("start (modules loaded)");
    emulator = await startEmulators({ devices: DEVICES, firstIp: FIRST_IP, control: CONTROL, username: USER, password: PASS });
    controlFor = emulator.controlFor;
    const addresses = Array.from({ length: DEVICES }, (_, i) => `${nthIp(FIRST_IP, i)}:8080`);

    const database = await db.getDb();
    const info = await db.databaseInfo();
    const engine = `PostgreSQL ${info.version}${info.embedded ? " (embedded)" : ""}`;
    await database.transaction(async (tx) => {
      for (let i = 0; i < addresses.length; i += 500)
        await inventory.insertDevices(tx, addresses.slice(i, i + 500).map((address, j) => ({ name: `bench ${i + j}`, address, username: USER, password: PASS, site: "bench", tags: [] })));
    });
    console.log(`${DEVICES} phones (--no-sip) on ${FIRST_IP}… in ${emulator.pids.length} emulator process(es), ${engine}, concurrency ${CONCURRENCY}, ${SECONDS} s per rate measurement`);
    memoryStep("devices stored");

    // 1a. The HTTP ceiling (warm-up: every ETag known, code warm), in its own process.
    const raw = await rawLoop(CONCURRENCY, Math.max(2_000, SECONDS * 200), SECONDS * 1000);
    const rawRate = perSecond(raw.ok, raw.ms);
    const rawCpuUs = Math.round(raw.cpuUs / Math.max(1, raw.ok + raw.failed));
    console.log(`  raw conditional GET loop:${rawRate.toFixed(0).padStart(6)} req/s (${raw.failed} failed; its own process)`);
    memoryStep("after the raw loop");

    // 1b. The poller, saturated: an interval far below what the fleet can be polled in.
    const bus = events.eventBus();
    // Short polls only (longPollS 0): this measures the interval poll's own cost, as the raw loop does.
    let p = new poller.Poller({ intervalS: 0.1, concurrency: CONCURRENCY, bus, longPollS: 0 });
    await p.start();
    const sweepDeadline = Date.now() + 120_000;
    while (p.health().totals.polls < DEVICES && Date.now() < sweepDeadline) await sleep(200); // first sweep writes every status
    const before = p.health().totals;
    const profiler = flags["cpu-prof"] ? await startProfile() : null;
    const pollStart = Date.now();
    const cpu0 = process.cpuUsage();
    await sleep(SECONDS * 1000);
    const after = p.health().totals;
    const pollCpu = process.cpuUsage(cpu0);
    if (profiler) writeFileSync(flags["cpu-prof"]!, JSON.stringify(await profiler.stop()));
    const pollCpuUs = Math.round((pollCpu.user + pollCpu.system) / Math.max(1, after.polls - before.polls));
    const pollRate = perSecond(after.polls - before.polls, Date.now() - pollStart);
    memoryStep("poller saturated (end)");
    await p.stop();
    const errors: Record<string, number> = {};
    for (const [code, n] of Object.entries(after.errors)) if (n - (before.errors[code] ?? 0) > 0) errors[code] = n - (before.errors[code] ?? 0);
    console.log(
      `  poller (saturated):    ${pollRate.toFixed(0).padStart(6)} polls/s = ${((pollRate / rawRate) * 100).toFixed(0)} % of the raw loop ` +
        `(${after.notModified - before.notModified} of ${after.polls - before.polls} answered 304; errors ${JSON.stringify(errors)})`,
    );
    console.log(`  CPU of this process per exchange: poller ${pollCpuUs} µs, raw loop ${rawCpuUs} µs`);
    console.log(`  at the default 15 s interval ${DEVICES} phones need ${(DEVICES / 15).toFixed(0)} polls/s: headroom ×${(pollRate / (DEVICES / 15)).toFixed(2)}`);

    // 2. Status lag at the poll interval: the portal's SSE route over HTTP, a real EventSource client in its own process.
    await auth.createUser({ ...VIEWER, role: "viewer" });
    const token = (await auth.login(VIEWER.username, VIEWER.password))!.token;
    portal = createAdaptorServer({ fetch: (req: Request) => eventsRoute.GET(req, { params: Promise.resolve({}) }) }) as Server;
    await new Promise<void>((resolve) => portal!.listen(0, PORTAL_HOST, resolve));
    const sseUrl = `http://${PORTAL_HOST}:${(portal.address() as AddressInfo).port}/api/v1/events`;
    const [cmd, args] = onEmulatorCpu(process.execPath, ["--import", "tsx", "bench/support/sse-client.ts", sseUrl, token]);
    sseClient = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const sseSeen = new Map<string, number>();
    let sseReady = false;
    createInterface({ input: sseClient.stdout! }).on("line", (line) => {
      const m = JSON.parse(line) as { ready?: boolean; t: number; deviceId: string; state: string };
      if (m.ready) sseReady = true;
      else if (m.state === "unreachable" && !sseSeen.has(m.deviceId)) sseSeen.set(m.deviceId, m.t);
    });

    p = new poller.Poller({ intervalS: LAG_INTERVAL_S, concurrency: CONCURRENCY, bus, longPollS: WAIT_S });
    await p.start();
    await sleep(LAG_INTERVAL_S * 1000 + 1_000); // one calm window
    // Held phones: every one once its first short poll showed the capability (at 10,000 that takes the first sweep).
    const holdDeadline = Date.now() + 60_000;
    while (p.holdS > 0 && p.health().held < DEVICES && Date.now() < holdDeadline) await sleep(200);
    const heldPhones = p.health().held;
    console.log(`  lag phase: interval ${LAG_INTERVAL_S} s, held long-poll wait ${p.holdS} s: ${heldPhones} of ${DEVICES} phones held`);
    memoryStep(`lag phase steady (${heldPhones} held)`);
    if (process.env.BENCH_HEAP_SNAPSHOT) console.log(`  heap snapshot: ${(await import("node:v8")).writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)}`);
    const sseDeadline = Date.now() + 30_000;
    while (!sseReady && Date.now() < sseDeadline) await sleep(50);
    if (!sseReady) throw new Error(`the EventSource client did not connect to ${sseUrl}`);

    const ids = new Map((await inventory.listDevices({ site: "bench", limit: DEVICES })).items.map((d) => [d.address, d.id]));
    const step = Math.max(1, Math.floor(DEVICES / LAG_DEVICES));
    const targets = addresses.filter((_, i) => i % step === 0).slice(0, LAG_DEVICES);
    const held = holdLongPolls(targets);
    await sleep(1_000); // the long-polls are waiting
    const busSeen = new Map<string, number>();
    const off = bus.subscribe("status", (e) => {
      if (e.state === "unreachable" && !busSeen.has(e.deviceId)) busSeen.set(e.deviceId, Date.now());
    });
    const changedAt = new Map<string, number>();
    for (const address of targets) {
      changedAt.set(address, Date.now());
      await control(addresses.indexOf(address), `/devices/${address.split(":")[0]}/fault`, { mode: "offline" });
    }
    const lagDeadline = Date.now() + LAG_INTERVAL_S * 2000 + 10_000;
    while ((busSeen.size < targets.length || sseSeen.size < targets.length) && Date.now() < lagDeadline) await sleep(50);
    const lagEnd = Date.now();
    off();
    const lagHealth = p.health();
    await p.stop();
    memoryStep("lag phase end");
    for (const address of targets) await control(addresses.indexOf(address), `/devices/${address.split(":")[0]}/fault`, { mode: "none" });
    await held.agent.destroy();

    // A change not seen by the deadline counts with its lag at the deadline: a lower bound, so that the
    // percentiles cover every change (leaving them out made a poller that misses changes look faster).
    const lagsOf = (seen: Map<string, number>, key: (address: string) => string | undefined) =>
      targets.map((a) => {
        const k = key(a);
        const t = k === undefined ? undefined : seen.get(k);
        return (t ?? lagEnd) - changedAt.get(a)!;
      });
    const seenOf = (seen: Map<string, number>) => targets.filter((a) => seen.has(ids.get(a) ?? "")).length;
    const busLags = lagsOf(busSeen, (a) => ids.get(a));
    const sseLags = lagsOf(sseSeen, (a) => ids.get(a));
    const rawLags = lagsOf(held.seen, (a) => a);
    const ceilingP99 = percentile(rawLags, 0.99);
    const ceilingP95 = percentile(rawLags, 0.95);
    const figures: ScaleFigures = {
      devices: DEVICES,
      engine,
      intervalS: LAG_INTERVAL_S,
      concurrency: CONCURRENCY,
      pollRate: Math.round(pollRate),
      rawRate: Math.round(rawRate),
      pollRatio: ratio(pollRate, rawRate, true),
      pollNeeded: Math.round(DEVICES / 15),
      pollCpuUs,
      rawCpuUs,
      pollCpuRatio: ratio(pollCpuUs, rawCpuUs, false),
      scheduleLagAvgMs: lagHealth.lastCycle?.lagAvgMs ?? null,
      scheduleLagMaxMs: lagHealth.lastCycle?.lagMaxMs ?? null,
      statusLagP99Ms: percentile(busLags, 0.99),
      statusLagP50Ms: percentile(busLags, 0.5),
      statusLagCeilingMs: ceilingP99,
      statusLagRatio: ratio(percentile(busLags, 0.99), ceilingP99, false),
      sseP95Ms: percentile(sseLags, 0.95),
      sseRatio: ratio(percentile(sseLags, 0.95), ceilingP95, false),
      lagChanges: targets.length,
      lagSamples: seenOf(busSeen),
      sseSamples: seenOf(sseSeen),
      portalRssMb: rss.peakMb(),
      emulatorRssMb: emulator.pids.reduce<number | null>((sum, pid) => (sum ?? 0) + (rssMbOf(pid) ?? 0), null),
      waitS: p.holdS,
      heldPhones,
      memorySteps,
      errors,
    };
    console.log(
      `  status lag at ${LAG_INTERVAL_S} s (${targets.length} phones taken offline; unseen ones count at the deadline): bus ${figures.lagSamples} seen, p50 ${fmt(figures.statusLagP50Ms)}, p99 ${fmt(figures.statusLagP99Ms)}; ` +
        `EventSource ${figures.sseSamples} seen, p95 ${fmt(figures.sseP95Ms)}; raw long-poll ceiling p99 ${fmt(ceilingP99)}`,
    );
    console.log(`  poller at ${LAG_INTERVAL_S} s: ${lagHealth.lastCycle?.pollsPerS ?? 0} polls/s, schedule lag avg ${fmt(figures.scheduleLagAvgMs)} / max ${fmt(figures.scheduleLagMaxMs)}`);
    console.log(`  portal-side peak RSS (poller + undici + pg + SSE route): ${figures.portalRssMb} MB; emulator ${figures.emulatorRssMb} MB`);
    if (flags["json-out"]) writeFileSync(flags["json-out"], JSON.stringify(figures, null, 2));
  } finally {
    tearingDown = true;
    rss.stop();
    await stopChild(sseClient, 5_000);
    portal?.closeAllConnections();
    portal?.close();
    await device.closeDeviceClients().catch(() => {});
    await db.closeDb().catch(() => {});
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`bench/poller: ${(err as Error).stack ?? err}`);
      process.exit(1);
    },
  );
