// Bulk push benchmark: time to push one change to 1,000 emulated phones through a job (runner → lib/push: read,
// PATCH with If-Match, read back, record in PGlite) vs a raw loop (GET for the revision + PATCH with If-Match)
// with the same concurrency on the same emulator in the same run. Figures and ratios, not pass/fail.
// Loopback: phones 127.47.0.1…, no SIP. BENCH_DEVICES / BENCH_CONCURRENCY override the defaults.
// `server-only` throws outside Next; the same preload the tests use maps it to an empty module.
require("../tests/jobs/support/server-only-off.cjs");
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { request } from "undici";
import { startFleet } from "../emulator/src/fleet/index";

const N = Number(process.env.BENCH_DEVICES || 1000);
const C = Number(process.env.BENCH_CONCURRENCY || 16);
const USER = "admin";
const PASS = "bench";
const KEYS = { use: "voip/signalling/sip/redundant/use_redundant_proxy", addr: "voip/signalling/sip/redundant/redundant_proxy_address", port: "voip/signalling/sip/redundant/redundant_proxy_port" };
const auth = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;

function ipOf(i: number): string {
  const n = (127 << 24) + (47 << 16) + 1 + i;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

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
 * Where the job's time goes, measured on the embedded database (PGlite): statements and transactions run,
 * time the single connection was held by them, and filesystem syncs (PGlite syncs after every statement that
 * runs outside a transaction, and at each commit). Wraps the client's exclusive-section hooks; PostgreSQL
 * server mode (DATABASE_URL) is not instrumented.
 */
interface DbMeter {
  statements: number;
  transactions: number;
  syncs: number;
  /** ms the connection was held: by transactions, and by statements outside one. */
  heldMs: number;
  syncMs: number;
  reset(): void;
}

function meterPglite(client: unknown): DbMeter | null {
  type Hooks = {
    _runExclusiveQuery?: <T>(fn: () => Promise<T>) => Promise<T>;
    _runExclusiveTransaction?: <T>(fn: () => Promise<T>) => Promise<T>;
    syncToFs?: () => Promise<void>;
    transaction?: <T>(fn: (tx: unknown) => Promise<T>) => Promise<T>;
  };
  const c = client as Hooks;
  if (!c || typeof c._runExclusiveQuery !== "function" || typeof c._runExclusiveTransaction !== "function" || typeof c.syncToFs !== "function" || typeof c.transaction !== "function") return null;
  const m: DbMeter = {
    statements: 0, transactions: 0, syncs: 0, heldMs: 0, syncMs: 0,
    reset() { m.statements = m.transactions = m.syncs = m.heldMs = m.syncMs = 0; },
  };
  let inTx = 0;
  const query = c._runExclusiveQuery.bind(c);
  const transaction = c._runExclusiveTransaction.bind(c);
  const sync = c.syncToFs.bind(c);
  const begin = c.transaction.bind(c);
  // Every statement outside a transaction holds the connection on its own (counted in heldMs, not here).
  c.transaction = async (fn) => {
    m.transactions++;
    return begin(fn);
  };
  c._runExclusiveQuery = async (fn) => query(async () => {
    m.statements++;
    const t = performance.now();
    try { return await fn(); } finally { if (!inTx) m.heldMs += performance.now() - t; }
  });
  c._runExclusiveTransaction = async (fn) => transaction(async () => {
    inTx++;
    const t = performance.now();
    try { return await fn(); } finally { inTx--; m.heldMs += performance.now() - t; }
  });
  c.syncToFs = async () => {
    m.syncs++;
    const t = performance.now();
    try { return await sync(); } finally { m.syncMs += performance.now() - t; }
  };
  return m;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-bulk-"));
  process.env.DATA_DIR = dir;
  process.env.LOG_LEVEL ??= "warn";
  const fleet = await startFleet({ devices: N, firstIp: ipOf(0), httpPort: 8080, sip: false, username: USER, password: PASS });
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

    const meter = meterPglite((db as unknown as { $client?: unknown }).$client);
    // The runner's own push, timed per target (device I/O + lib/push's database work); the rest is the runner's.
    let pushMs = 0;
    const runner = createJobRunner({
      pollMs: 20,
      push: async (input) => {
        const t = performance.now();
        try { return await pushDeviceConfig(input); } finally { pushMs += performance.now() - t; }
      },
    });
    meter?.reset();
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const job = await createJob({ selection: { filter: { site: "bench" } }, values: { [KEYS.use]: 1, [KEYS.addr]: "10.47.0.2", [KEYS.port]: 5062 }, concurrency: C }, "bench");
    runner.wake();
    await runner.idle(job.id);
    const jobS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const db0 = meter && { ...meter };
    await runner.stop();
    const { jobCounts } = await import("@/lib/jobs/store");
    const counts = (await jobCounts(db, [job.id])).get(job.id)!;

    console.log(`bulk push: ${N} phones, concurrency ${C} (same emulator, same run)`);
    console.log(`  raw loop (GET + PATCH If-Match):   ${rawS.toFixed(2)} s  ${(N / rawS).toFixed(0)} devices/s`);
    console.log(`  job (read, PATCH, read back, DB):  ${jobS.toFixed(2)} s  ${(N / jobS).toFixed(0)} targets/s  (applied ${counts.applied}, failed ${counts.failed})`);
    console.log(`  job / raw time: ${(jobS / rawS).toFixed(2)}×`);
    console.log(`  job phases: process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (emulator included); pushDeviceConfig ${(pushMs / N).toFixed(1)} ms/target (wall, ${C} in flight)`);
    if (db0) {
      const per = (n: number) => (n / N).toFixed(1);
      console.log(`  job database (PGlite, one connection): held ${(db0.heldMs / 1000).toFixed(2)} s = ${((db0.heldMs / 1000 / jobS) * 100).toFixed(0)}% of the job; per target ${per(db0.statements)} statements, ${per(db0.transactions)} transactions, ${per(db0.syncs)} fs syncs (${(db0.syncMs / 1000).toFixed(2)} s syncing)`);
    }
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
