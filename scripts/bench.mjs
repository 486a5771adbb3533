#!/usr/bin/env node
// `npm run bench`: the scale table, then every other benchmark, one after the other (they share loopback addresses
// and 2 cores, so never at once; the whole run holds /tmp/sip-bench.lock). Nothing here passes or fails.
//   npm run bench                         the table at 1,000 and 10,000 phones (+ bulk push of 1,000), then the rest
//   npm run bench -- --quick              CI-sized: the table at 1,000 phones, push of 100, short phases (well under a minute)
//   npm run bench -- --json FILE          also write the figures as JSON (bench/support/stats.ts: BenchResult)
//   npm run bench -- --sizes 1000,10000   fleet sizes of the table;  --table-only  skip the other benchmarks
//   npm run bench -- poller               only the benchmarks whose command names "poller" (no table)
// Every figure of the table comes with its ratio to the ceiling measured on the same emulator in the same run.
// The emulator runs pinned to one core and the portal side to the other (`taskset`, util-linux) when there are two.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const LOCK = "/tmp/sip-bench.lock";
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

// One benchmark run on this machine at a time, whoever starts it.
if (!process.env.SIP_BENCH_LOCKED && has("flock")) {
  const r = spawnSync("flock", [LOCK, process.execPath, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, SIP_BENCH_LOCKED: "1" } });
  process.exit(r.status ?? 1);
}

const { values: flags, positionals: only } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "string" },
    sizes: { type: "string" },
    "table-only": { type: "boolean", default: false },
  },
});
const { benchResult } = await tsImport("../bench/support/stats.ts", import.meta.url);

const quick = flags.quick;
const sizes = (flags.sizes ?? (quick ? "1000" : "1000,10000")).split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error(`--sizes must be whole numbers ≥ 10, got ${flags.sizes}`);
const phase = quick ? { seconds: 2, interval: 2, lagDevices: 50, pushDevices: 100 } : { seconds: 10, interval: 15, lagDevices: 200, pushDevices: 1000 };

// Pinning: the portal side (this bench's process, its PostgreSQL server) on the last core, the emulator and the
// EventSource client on core 0, so each side's CPU cost shows. Without taskset or a second core: unpinned, said so.
const cores = os.availableParallelism?.() ?? os.cpus().length;
let pin = null;
let pinning;
if (!has("taskset")) pinning = "not pinned: taskset (util-linux) is not installed";
else if (cores < 2) pinning = `not pinned: ${cores} core`;
else {
  pin = { portal: String(cores - 1), emulator: "0" };
  pinning = `emulator (and the EventSource client) on CPU ${pin.emulator}, portal side (poller, pg, PostgreSQL server) on CPU ${pin.portal} (taskset)`;
}
console.log(`bench: ${pinning}`);

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...(pin ? { BENCH_EMULATOR_CPU: pin.emulator } : {}) };
const tsBench = (file, args = []) => {
  const cmd = [process.execPath, "--import", "tsx", file, ...args];
  return pin ? ["taskset", "-c", pin.portal, ...cmd] : cmd;
};
let failures = 0;
const run = (cmd, label) => {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) failures += 1;
  return r.status === 0;
};

const loadAvgBefore = os.loadavg().map((n) => Math.round(n * 100) / 100);
const tableWanted = only.length === 0;
let result = null;
if (tableWanted) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "sip-bench-"));
  const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);
  const figures = [];
  for (const n of sizes) {
    const out = path.join(tmp, `poller-${n}.json`);
    const args = ["--devices", String(n), "--seconds", String(phase.seconds), "--interval", String(phase.interval), "--lag-devices", String(phase.lagDevices), "--json-out", out];
    if (run(tsBench("bench/poller.ts", args), `bench/poller.ts --devices ${n}`)) figures.push(readJson(out));
  }
  const pushOut = path.join(tmp, "push.json");
  run(tsBench("bench/bulk-push.ts", ["--devices", String(phase.pushDevices), "--json-out", pushOut]), `bench/bulk-push.ts --devices ${phase.pushDevices}`);
  const push = readJson(pushOut);
  rmSync(tmp, { recursive: true, force: true });
  if (figures.length) {
    const machine = {
      nproc: cores,
      memTotalMb: Math.round(os.totalmem() / 1024 / 1024),
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadAvgBefore,
      loadAvgAfter: os.loadavg().map((n) => Math.round(n * 100) / 100),
    };
    result = benchResult({ generatedAt: new Date().toISOString(), quick, command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(), machine, pinning }, figures, push);
    console.log(`\n${table(result)}`);
    if (flags.json) {
      writeFileSync(flags.json, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`bench: figures written to ${flags.json}`);
    }
  }
}

// The other benchmarks (full runs, or those named on the command line).
if (!quick && !flags["table-only"]) {
  const others = [];
  if (existsSync(path.join(root, "scripts/bench-emulator.mjs"))) others.push([[process.execPath, "scripts/bench-emulator.mjs"], "scripts/bench-emulator.mjs"]);
  for (const f of readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".ts")).sort())
    if (only.length || !["poller.ts", "bulk-push.ts"].includes(f)) others.push([tsBench(`bench/${f}`), `bench/${f}`]);
  for (const [cmd, label] of others) if (!only.length || only.some((o) => label.includes(o))) run(cmd, label);
}
if (failures) console.log(`\n${failures} benchmark(s) did not complete`);
process.exit(failures ? 1 : 0);

function table(r) {
  const int = (n) => (n == null ? "–" : Math.round(n).toLocaleString("en-US"));
  const sec = (ms) => (ms == null ? "–" : `${(ms / 1000).toFixed(2)} s`);
  const rt = (x) => (x == null ? "–" : x.toFixed(2));
  const head = `| figure (ratio to the ceiling, 0–1) | ${r.sizes.map((s) => `${int(s.devices)} phones`).join(" | ")} | target |`;
  const rows = [
    ["sustained poll rate, polls/s (÷ raw conditional GET /status loop)", (s) => `${int(s.pollRate)} (${rt(s.pollRatio)} of ${int(s.rawRate)})`, "≥ devices/15, ≥ 0.70"],
    ["portal CPU per poll, µs (raw loop's CPU per exchange ÷ this)", (s) => `${int(s.pollCpuUs)} (${rt(s.pollCpuRatio)} of ${int(s.rawCpuUs)})`, "—"],
    ["every phone on time at 15 s needs, polls/s", (s) => `${int(s.pollNeeded)} (headroom ×${(s.pollRate / s.pollNeeded).toFixed(2)})`, "headroom ≥ 1"],
    ["status change → portal event, p99 (raw long-poll ÷ this)", (s) => `${sec(s.statusLagP99Ms)} (${rt(s.statusLagRatio)}; ceiling ${sec(s.statusLagCeilingMs)}, interval ${s.intervalS} s)`, "—"],
    ["status change → EventSource, p95 (raw long-poll ÷ this)", (s) => `${sec(s.sseP95Ms)} (${rt(s.sseRatio)}; seen by the deadline: bus ${s.lagSamples}, EventSource ${s.sseSamples} of ${s.lagChanges}${s.sseSamples < s.lagChanges || s.lagSamples < s.lagChanges ? "; unseen counted at the deadline, so a lower bound" : ""})`, "< 1 s"],
    ["phones on a held status long-poll in the lag phase (wait)", (s) => (s.waitS === undefined ? "–" : s.waitS === 0 ? "none (interval polls)" : `${int(s.heldPhones ?? 0)} of ${int(s.devices)} (${s.waitS} s)`), "all"],
    ["poller schedule lag at the interval, avg / max", (s) => `${sec(s.scheduleLagAvgMs)} / ${sec(s.scheduleLagMaxMs)}`, "≪ interval"],
    ["portal peak RSS (÷ 400 MB budget)", (s) => `${int(s.portalRssMb)} MB (${(s.portalRssMb / 400).toFixed(2)} of the budget); emulator ${int(s.emulatorRssMb)} MB`, "< 400 MB"],
  ];
  const lines = [head, `| --- | ${r.sizes.map(() => "---").join(" | ")} | --- |`];
  for (const [name, cell, target] of rows) lines.push(`| ${name} | ${r.sizes.map(cell).join(" | ")} | ${target} |`);
  const p = r.push;
  if (p)
    lines.push(
      `| bulk push of ${int(p.pushDevices)} phones, verified (raw GET+PATCH loop ÷ job) | ${p.pushSeconds.toFixed(2)} s (${rt(p.pushRatio)} of a ${p.pushRawSeconds.toFixed(2)} s raw loop; ${p.pushApplied} applied, ${p.pushFailed} failed, ${p.pushStatementsPerTarget} SQL/target)${" | ".repeat(Math.max(0, r.sizes.length - 1))} | < 5 s, ≥ 0.50 |`,
    );
  lines.push("", `${r.engine}; ${r.machine.nproc} cores, ${int(r.machine.memTotalMb)} MB, ${r.machine.cpuModel}, Node ${r.machine.node}; load average ${r.machine.loadAvgBefore.join(" ")} before, ${r.machine.loadAvgAfter.join(" ")} after; ${r.pinning}`);
  return lines.join("\n");
}
