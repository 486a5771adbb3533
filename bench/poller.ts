// Poller benchmark: N emulated phones (device API only, --no-sip) in their own process; in this process a real
// the embedded PostgreSQL and the real poller. Prints, measured in the same run on the same emulator:
//   1. raw GET /status loop at concurrency C (the HTTP ceiling) vs the poller saturated (interval 0.1 s) at C;
//   2. status lag: a phone is taken offline on the emulator → the poller's `status` bus event (interval 5 s);
//   3. this process's RSS (poller + undici + pg; the emulator and the PostgreSQL server process excluded).
// Figures and ratios, no pass/fail; stops by itself.
//   npx tsx bench/poller.ts [--devices 1000] [--seconds 10] [--concurrency 64]
// Loopback range 127.45/16: phones from 127.45.1.1:8080, control surface 127.45.0.1:8099.
import { stopChild } from "./support/child";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

// lib/ modules import "server-only", which only resolves to its no-op under the react-server condition.
if (!process.execArgv.includes("--conditions=react-server")) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const { values: flags } = parseArgs({
  options: { devices: { type: "string", default: "1000" }, seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "64" } },
});
const DEVICES = Number(flags.devices);
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const FIRST_IP = "127.45.1.1";
const CONTROL = "127.45.0.1:8099";
const USER = "admin";
const PASS = "bench-pass";
const LAG_DEVICES = 20;
const LAG_INTERVAL_S = 5;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-poller-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL = "silent";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const rate = (n: number, ms: number) => (n / ms) * 1000;

import * as undici from "undici";
import { nthIp } from "../emulator/src/fleet/ip";

let emulator: ChildProcess | null = null;
const stopEmulator = () => stopChild(emulator, 15_000);

async function control(pathname: string, body: unknown): Promise<void> {
  const res = await undici.request(`http://${CONTROL}${pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${pathname}: ${res.statusCode} ${text}`);
}

/** GET /status over all phones round-robin at `concurrency`, for `ms`; returns completed requests. */
async function rawLoop(addresses: string[], concurrency: number, ms: number): Promise<{ ok: number; failed: number }> {
  const agent = new undici.Agent({ connections: 2, keepAliveTimeout: 4_000 });
  const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;
  const until = Date.now() + ms;
  let next = 0;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const address = addresses[next++ % addresses.length];
      try {
        const res = await undici.request(`http://${address}/api/v1/status`, { headers: { authorization: auth, accept: "application/json" }, dispatcher: agent });
        await res.body.json();
        if (res.statusCode === 200) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await agent.close();
  return { ok, failed };
}

async function main(): Promise<void> {
  // Loaded only in the re-executed child: lib/ needs the react-server condition for "server-only".
  const db = await import("@/lib/db");
  const inventory = await import("@/lib/inventory/devices");
  const device = await import("@/lib/device");
  const events = await import("@/lib/events");
  const poller = await import("@/lib/poller");
 try {
  const rssStart = process.memoryUsage().rss;
  emulator = spawn(
    process.execPath,
    ["--import", "tsx", "emulator/src/cli.ts", "--devices", String(DEVICES), "--first-ip", FIRST_IP, "--http-port", "8080", "--no-sip",
      "--username", USER, "--password", PASS, "--control-host", CONTROL.split(":")[0], "--control-port", CONTROL.split(":")[1]],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let ready = false;
  emulator.stdout!.on("data", (chunk) => {
    if (String(chunk).includes("emulator ready:")) ready = true;
  });
  while (!ready) {
    if (emulator.exitCode !== null) throw new Error(`the emulator exited (code ${emulator.exitCode}) before it was ready`);
    await sleep(100);
  }
  const addresses = Array.from({ length: DEVICES }, (_, i) => `${nthIp(FIRST_IP, i)}:8080`);

  const database = await db.getDb();
  await database.transaction(async (tx) => {
    for (let i = 0; i < addresses.length; i += 500)
      await inventory.insertDevices(tx, addresses.slice(i, i + 500).map((address, j) => ({ name: `bench ${i + j}`, address, username: USER, password: PASS, site: "bench", tags: [] })));
  });
  const rssDb = process.memoryUsage().rss;
  console.log(`${DEVICES} phones (--no-sip) on ${FIRST_IP}…, concurrency ${CONCURRENCY}, ${SECONDS} s per measurement`);

  // 1a. The HTTP ceiling.
  await rawLoop(addresses, CONCURRENCY, 1_000); // warm-up: connections open
  const rawStart = Date.now();
  const raw = await rawLoop(addresses, CONCURRENCY, SECONDS * 1000);
  const rawRate = rate(raw.ok, Date.now() - rawStart);
  console.log(`raw GET /status loop:      ${rawRate.toFixed(0).padStart(6)} req/s (${raw.failed} failed)`);

  // 1b. The poller, saturated: an interval far below what the fleet can be polled in.
  const bus = events.createEventBus();
  let p = new poller.Poller({ intervalS: 0.1, concurrency: CONCURRENCY, bus });
  await p.start();
  await sleep(3_000); // first sweep: every phone's first status is written
  const before = p.health().totals;
  const pollStart = Date.now();
  await sleep(SECONDS * 1000);
  const after = p.health().totals;
  const polled = after.polls - before.polls;
  const pollRate = rate(polled, Date.now() - pollStart);
  const health = p.health();
  await p.stop();
  console.log(
    `poller (saturated):        ${pollRate.toFixed(0).padStart(6)} polls/s = ${((pollRate / rawRate) * 100).toFixed(0)} % of the raw loop ` +
      `(${after.notModified - before.notModified} of ${polled} answered 304; writes ${after.writes}; last window lag avg ${health.lastCycle?.lagAvgMs} ms)`,
  );
  console.log(`  at the default 15 s interval ${DEVICES} phones need ${(DEVICES / 15).toFixed(0)} polls/s: headroom ×${(pollRate / (DEVICES / 15)).toFixed(1)}`);

  // 2. Status lag: emulator change → bus event.
  p = new poller.Poller({ intervalS: LAG_INTERVAL_S, concurrency: CONCURRENCY, bus });
  await p.start();
  await sleep(LAG_INTERVAL_S * 1000 + 500); // one calm sweep
  const changedAt = new Map<string, number>();
  const lags: number[] = [];
  const ids = new Map((await inventory.listDevices({ site: "bench", limit: 10000 })).items.map((d) => [d.id, d.address]));
  const off = bus.subscribe("status", (e) => {
    const address = ids.get(e.deviceId);
    const t0 = address ? changedAt.get(address) : undefined;
    if (t0 !== undefined && e.state === "unreachable") lags.push(Date.now() - t0);
  });
  const targets = addresses.filter((_, i) => i % Math.floor(DEVICES / LAG_DEVICES) === 0).slice(0, LAG_DEVICES);
  for (const address of targets) {
    await control(`/devices/${address.split(":")[0]}/fault`, { mode: "offline" });
    changedAt.set(address, Date.now());
  }
  const lagDeadline = Date.now() + LAG_INTERVAL_S * 3000;
  while (lags.length < targets.length && Date.now() < lagDeadline) await sleep(50);
  off();
  for (const address of targets) await control(`/devices/${address.split(":")[0]}/fault`, { mode: "none" });
  const rssPolling = process.memoryUsage().rss;
  const lagHealth = p.health();
  await p.stop();
  lags.sort((a, b) => a - b);
  const pct = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
  console.log(
    `status lag (interval ${LAG_INTERVAL_S} s, ${lags.length}/${targets.length} phones taken offline seen): ` +
      (lags.length ? `median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${lags.at(-1)} ms (expected ≤ interval + timeout)` : "none seen"),
  );
  console.log(`  poller at ${LAG_INTERVAL_S} s: ${lagHealth.lastCycle?.pollsPerS ?? 0} polls/s, schedule lag avg ${lagHealth.lastCycle?.lagAvgMs ?? 0} ms / max ${lagHealth.lastCycle?.lagMaxMs ?? 0} ms`);
  console.log(`portal-side RSS (poller + undici + pg; emulator and PostgreSQL server excluded): ${mb(rssPolling)} (${mb(rssStart)} at start, ${mb(rssDb)} with the database open and ${DEVICES} devices stored); heap ${mb(process.memoryUsage().heapUsed)}`);
} finally {
  await device.closeDeviceClients().catch(() => {});
  await db.closeDb().catch(() => {});
  await stopEmulator();
  rmSync(dataDir, { recursive: true, force: true });
 }
}

if (process.execArgv.includes("--conditions=react-server"))
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`bench/poller: ${(err as Error).stack ?? err}`);
      process.exit(1);
    },
  );
