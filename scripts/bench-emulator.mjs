#!/usr/bin/env node
// Emulator benchmark: 1,000 phones registering to one local Kamailio. Prints the time until all are registered,
// GET /status throughput over all phones, and the emulator's RSS. Figures, not pass/fail. Stops by itself.
//   node scripts/bench-emulator.mjs [--devices 1000] [--seconds 10] [--concurrency 64]
// The emulator runs as its own process (node --import tsx emulator/src/cli.ts) so its RSS and CPU are its own.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";
import { Agent, request } from "undici";

const { values: flags } = parseArgs({
  options: {
    devices: { type: "string", default: "1000" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "64" },
  },
});
const DEVICES = Number(flags.devices);
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
// The emulator helper's loopback range (127.41/16): Kamailio on .0.10, phones from 127.41.10.1.
const KAMAILIO = { host: "127.41.0.10", port: 5060 };
const FIRST_IP = "127.41.10.1";
const CONTROL = "127.41.0.11:8099";
const AUTH = `Basic ${Buffer.from("admin:admin").toString("base64")}`;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { Kamailio, kamailioAvailable } = await tsImport("../emulator/test/support/kamailio.ts", import.meta.url);
const { nthIp } = await tsImport("../emulator/src/fleet/ip.ts", import.meta.url);

if (!kamailioAvailable()) {
  console.log("bench-emulator: SKIPPED — /usr/sbin/kamailio is not installed");
  process.exit(0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
};

const stateDir = await mkdtemp(path.join(tmpdir(), "bench-emulator-"));
const kamailio = new Kamailio(KAMAILIO);
let emulator = null;
const stopAll = async () => {
  if (emulator && emulator.exitCode === null) {
    const exited = new Promise((r) => emulator.once("exit", r));
    emulator.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    if (emulator.exitCode === null) emulator.kill("SIGKILL");
  }
  await kamailio.dispose();
  await rm(stateDir, { recursive: true, force: true });
};

try {
  await kamailio.start();
  const started = Date.now();
  emulator = spawn(
    process.execPath,
    ["--import", "tsx", "emulator/src/cli.ts", "--devices", String(DEVICES), "--first-ip", FIRST_IP,
      "--http-port", "8080", "--proxy", `${KAMAILIO.host}:${KAMAILIO.port}`, "--control-host", CONTROL.split(":")[0],
      "--control-port", CONTROL.split(":")[1], "--state-dir", stateDir],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  let ready = false;
  emulator.stdout.on("data", (chunk) => {
    if (String(chunk).includes("emulator ready:")) ready = true;
  });
  emulator.once("exit", (code) => {
    if (!ready) console.error(`bench-emulator: the emulator exited early (code ${code})`);
  });
  while (!ready) {
    if (emulator.exitCode !== null) throw new Error("emulator did not start");
    await sleep(100);
  }
  const listeningMs = Date.now() - started;

  let registered = 0;
  const deadline = Date.now() + 300_000;
  while (registered < DEVICES) {
    if (Date.now() > deadline) throw new Error(`only ${registered}/${DEVICES} registered after 300 s`);
    const res = await request(`http://${CONTROL}/health`);
    registered = (await res.body.json()).registered;
    if (registered < DEVICES) await sleep(200);
  }
  const registeredMs = Date.now() - started;
  const rssAfterRegister = rssMb(emulator.pid);

  // GET /status round-robin over every phone, CONCURRENCY requests in flight, keep-alive connections.
  const agent = new Agent({ connections: 2, pipelining: 1, keepAliveTimeout: 30_000 });
  const urls = Array.from({ length: DEVICES }, (_, i) => `http://${nthIp(FIRST_IP, i)}:8080/api/v1/status`);
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latencies = [];
  const until = Date.now() + SECONDS * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      const url = urls[next++ % urls.length];
      const t0 = performance.now();
      try {
        const res = await request(url, { dispatcher: agent, headers: { authorization: AUTH } });
        await res.body.text();
        if (res.statusCode === 200) ok++;
        else failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsedS = (Date.now() - t0) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]?.toFixed(1);

  console.log(`bench-emulator: ${DEVICES} phones, Kamailio ${KAMAILIO.host}:${KAMAILIO.port}`);
  console.log(`  all HTTP servers listening after   ${(listeningMs / 1000).toFixed(1)} s`);
  console.log(`  all phones registered after        ${(registeredMs / 1000).toFixed(1)} s`);
  console.log(`  GET /status throughput             ${(ok / elapsedS).toFixed(0)} req/s (${ok} ok, ${failed} failed, concurrency ${CONCURRENCY}, ${elapsedS.toFixed(1)} s)`);
  console.log(`  GET /status latency p50/p99        ${pct(50)} / ${pct(99)} ms`);
  console.log(`  emulator RSS                       ${rssAfterRegister} MB registered, ${rssMb(emulator.pid)} MB after the HTTP run`);
} catch (error) {
  console.error(`bench-emulator: ${error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
