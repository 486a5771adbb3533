// Inventory benchmark: "the UI with 10,000 devices". A temp embedded PostgreSQL is seeded with devices and a realistic status mix
// (registered to the primary / to the redundant proxy, unreachable, failed, registering, unregistered, never polled),
// then the list API is timed as the /devices page calls it — the exported route handlers with real Request objects
// (tests/support/api.ts), no build needed: first page, a deep page, search, site/tag/status filters, and the dashboard
// summary. Measured at 1,000 and at 10,000 devices in the same run (the 10k ratio shows the scaling), plus RSS.
// Then, if a production build exists (`next build`; NEXT_DIST_DIR honoured), a real page render: `next start` on
// 127.0.0.1:3413 over the same data and Debian's Chromium timing /devices until the table shows its rows.
// Figures only, no pass/fail; stops everything it started.
//   npx tsx bench/inventory-10k.ts [--runs 20] [--devices 10000] [--small 1000] [--no-browser]
// `server-only` throws outside Next; the same preload the tests use maps it to an empty module.
require("../tests/jobs/support/server-only-off.cjs");
import { stopChild } from "./support/child";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    devices: { type: "string", default: "10000" },
    small: { type: "string", default: "1000" },
    "no-browser": { type: "boolean", default: false },
  },
});
const RUNS = Number(flags.runs);
const BIG = Number(flags.devices);
const SMALL = Number(flags.small);
const PORT = 3413;
const ADMIN = { username: "bench", password: "bench-password-10k" };
const SITES = Array.from({ length: 40 }, (_, i) => `site-${String(i).padStart(2, "0")}`);
const TAGS = ["lobby", "boardroom", "floor-1", "floor-2", "floor-3", "floor-4", "east", "west", "vip", "training", "huddle", "exec", "lab", "support", "sales", "legal", "hr", "it", "finance", "ops"];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const dataDir = mkdtempSync(path.join(tmpdir(), "bench-inventory-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
process.env.LOG_LEVEL = "silent";
process.env.POLLER = "off";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Deterministic pseudo-random (the same fleet every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

/** Loopback device addresses (never contacted: the poller is off); 127.41.0.1… */
function address(i: number): string {
  const n = (127 << 24) + (41 << 16) + 1 + i;
  return `${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")}:8080`;
}

// Status mix per 100 devices: 70 registered (primary), 10 failed over (redundant), 8 unreachable, 4 failed,
// 3 registering, 2 unregistered, 3 never polled (no device_status row).
type Mix = { state: "registered" | "registering" | "unregistered" | "failed" | "unreachable"; proxy: "primary" | "redundant" | null } | null;
function statusOf(r: number): Mix {
  const p = r * 100;
  if (p < 70) return { state: "registered", proxy: "primary" };
  if (p < 80) return { state: "registered", proxy: "redundant" };
  if (p < 88) return { state: "unreachable", proxy: null };
  if (p < 92) return { state: "failed", proxy: null };
  if (p < 95) return { state: "registering", proxy: "primary" };
  if (p < 97) return { state: "unregistered", proxy: null };
  return null;
}

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] };
}

async function main(): Promise<void> {
  const { getDb, closeDb } = await import("@/lib/db");
  const { sql } = await import("drizzle-orm");
  const { deviceStatus } = await import("@/lib/db/schema");
  const { insertDevices } = await import("@/lib/inventory/devices");
  const { createUser, login } = await import("@/lib/auth");
  const { call } = await import("@/tests/support/api");
  const devicesRoute = await import("../app/api/v1/devices/route");
  const summaryRoute = await import("../app/api/v1/status/summary/route");

  const rssStart = process.memoryUsage().rss;
  const db = await getDb();
  await createUser({ ...ADMIN, role: "admin" });
  const token = (await login(ADMIN.username, ADMIN.password))!.token;
  const rand = rng(10_000);
  let seeded = 0;

  async function seedTo(n: number): Promise<number> {
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      for (let i = seeded; i < n; i += 500) {
        const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => {
          const k = i + j;
          const site = SITES[Math.floor(rand() * SITES.length)];
          const tags = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => TAGS[Math.floor(rand() * TAGS.length)]))];
          return { name: `mt505-${site}-${String(k).padStart(5, "0")}`, address: address(k), username: "admin", password: "device-pass", site, tags };
        });
        const rows = await insertDevices(tx, batch);
        const now = Date.now();
        const statuses = rows.flatMap((r) => {
          const s = statusOf(rand());
          return s ? [{ deviceId: r.id, state: s.state, proxy: s.proxy, registrar: s.proxy ? `127.41.255.${s.proxy === "primary" ? 1 : 2}:5060` : null, since: new Date(now - Math.floor(rand() * 86_400_000)), lastError: s.state === "unreachable" ? "connect ECONNREFUSED" : null }] : [];
        });
        if (statuses.length) await tx.insert(deviceStatus).values(statuses);
      }
    });
    await db.execute(sql`analyze`);
    seeded = n;
    return performance.now() - t0;
  }

  // The page's queries (components/devices/query.ts apiUrl: limit = page size 50, offset = (page - 1) × 50).
  const queries = (n: number): [string, string][] => [
    ["first page", "/devices?limit=50&offset=0"],
    [`deep page (offset ${n - 50})`, `/devices?limit=50&offset=${n - 50}`],
    ["search by name", "/devices?q=-0042&limit=50&offset=0"],
    ["filter by site", `/devices?site=${SITES[7]}&limit=50&offset=0`],
    ["filter by tag", "/devices?tag=boardroom&limit=50&offset=0"],
    ["status=failed_over", "/devices?status=failed_over&limit=50&offset=0"],
    ["status=unreachable", "/devices?status=unreachable&limit=50&offset=0"],
    ["status summary", "/status/summary"],
  ];

  async function measure(n: number): Promise<Map<string, { median: number; p95: number; total: number }>> {
    const out = new Map<string, { median: number; p95: number; total: number }>();
    for (const [label, url] of queries(n)) {
      const route = url.startsWith("/status") ? summaryRoute : devicesRoute;
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const t0 = performance.now();
        const r = await call(route.GET, "GET", url, { token });
        const ms = performance.now() - t0;
        if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
        total = r.body.total ?? r.body.counts?.total;
        if (i >= 3) times.push(ms); // 3 warm-up calls
      }
      out.set(label.replace(/ \(offset \d+\)/, ""), { ...stats(times), total });
    }
    return out;
  }

  const seedSmall = await seedTo(SMALL);
  await measure(SMALL); // warm-up pass (JIT, server caches), so the first size measured is not penalised
  const small = await measure(SMALL);
  const rssSmall = process.memoryUsage().rss;
  const seedBig = await seedTo(BIG);
  const big = await measure(BIG);
  const rssBig = process.memoryUsage().rss;

  console.log(`inventory list API (route handlers called in-process, embedded PostgreSQL, ${RUNS} runs each after 3 warm-ups)`);
  console.log(`seeded ${SMALL.toLocaleString("en-US")} devices in ${(seedSmall / 1000).toFixed(1)} s, +${(BIG - SMALL).toLocaleString("en-US")} in ${(seedBig / 1000).toFixed(1)} s (with status rows)`);
  const w = 24;
  console.log(`${"query".padEnd(w)} ${`${SMALL / 1000}k median / p95`.padStart(20)} ${`${BIG / 1000}k median / p95`.padStart(20)}  ${"ratio".padStart(6)}  matches at ${BIG / 1000}k`);
  for (const [label, s] of small) {
    const b = big.get(label)!;
    console.log(
      `${label.padEnd(w)} ${`${s.median.toFixed(1)} / ${s.p95.toFixed(1)} ms`.padStart(20)} ${`${b.median.toFixed(1)} / ${b.p95.toFixed(1)} ms`.padStart(20)}  ${`${(b.median / s.median).toFixed(1)}×`.padStart(6)}  ${b.total}`,
    );
  }
  console.log(`RSS: ${mb(rssStart)} at start, ${mb(rssSmall)} with ${SMALL.toLocaleString("en-US")} devices, ${mb(rssBig)} with ${BIG.toLocaleString("en-US")}; heap ${mb(process.memoryUsage().heapUsed)}`);
  await closeDb(); // stops the embedded server: `next start` starts it again on the same data dir.

  if (flags["no-browser"]) return;
  if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
    console.log(`page render: skipped (no ${distDir}/BUILD_ID; run \`next build\` first, NEXT_DIST_DIR=${distDir})`);
    return;
  }
  await renderBench();
}

let server: ChildProcess | null = null;
const stopServer = () => stopChild(server, 10_000);

async function renderBench(): Promise<void> {
  const base = `http://127.0.0.1:${PORT}`;
  server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT)], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir, DATA_DIR: dataDir, POLLER: "off", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited (code ${server.exitCode})`);
    if (Date.now() > deadline) throw new Error("next start did not answer within 60 s");
    try {
      if ((await fetch(`${base}/login`)).ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  const rssServer = () => {
    try {
      return Number(require("node:fs").readFileSync(`/proc/${server!.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) * 1024;
    } catch {
      return 0;
    }
  };
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/devices");
    const rowsVisible = () => page.locator('table[aria-label="Devices"] tbody tr').nth(49).waitFor({ state: "visible" });
    const views: [string, string][] = [
      ["/devices (first page)", "/devices"],
      ["/devices last page", `/devices?page=${Math.ceil(BIG / 50)}`],
      ["/devices?status=failed_over", "/devices?status=failed_over"],
    ];
    console.log(`page render (next start on ${base}, ${BIG.toLocaleString("en-US")} devices, Chromium; navigation → 50 rows visible; 1 warm-up + 5 runs):`);
    for (const [label, url] of views) {
      const times: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        await page.goto(`${base}${url}`);
        await (url.includes("page=") ? page.locator('table[aria-label="Devices"] tbody tr').first().waitFor({ state: "visible" }) : rowsVisible());
        if (i > 0) times.push(performance.now() - t0);
      }
      const s = stats(times);
      console.log(`  ${label.padEnd(30)} median ${s.median.toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
    }
    console.log(`  next start RSS after the runs: ${mb(rssServer())}`);
  } finally {
    await browser.close();
  }
}

main()
  .then(
    () => 0,
    (err: unknown) => {
      console.error(`bench/inventory-10k: ${(err as Error).stack ?? err}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopServer();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  });
