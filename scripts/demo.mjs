#!/usr/bin/env node
// `npm run demo`: the product on its embedded default — an emulated fleet of MT505 phones registered to
// two demo SIP registrars (primary + redundant) on loopback, and the portal (its embedded PostgreSQL server in DATA_DIR) that
// polls them. Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const PORT = process.env.PORT ?? "3000";
const DEVICES = Number(process.env.DEMO_DEVICES ?? 25);
const DATA_DIR = path.resolve(root, process.env.DATA_DIR ?? "data");
const POLL_INTERVAL_S = process.env.POLL_INTERVAL_S ?? "15";
const FIRST_IP = process.env.DEMO_FIRST_IP ?? "127.30.0.1";
const PRIMARY = process.env.DEMO_PROXY ?? "127.30.255.1:5060";
const REDUNDANT = process.env.DEMO_REDUNDANT_PROXY ?? "127.30.255.2:5060";
const CONTROL_PORT = process.env.DEMO_CONTROL_PORT ?? "7070";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATA_DIR, POLL_INTERVAL_S };

mkdirSync(DATA_DIR, { recursive: true });
const children = [];
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

function start(name, cmd, args, extraEnv = {}, onLine = () => {}) {
  const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (line) => `[${name}] ${line}`;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = "";
    stream.on("data", (d) => {
      buf += d;
      const lines = buf.split("\n");
      buf = lines.pop();
      for (const l of lines) {
        console.log(prefix(l));
        onLine(l);
      }
    });
  }
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(prefix(`exited with ${code}; stopping the demo`));
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

if (process.env.DEMO_SKIP_BUILD !== "1" || !existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("Building the portal (next build)…");
  const b = spawnSync("npx", ["next", "build"], { cwd: root, env, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

let manifest;
if (DEVICES > 0) {
  manifest = path.join(DATA_DIR, "demo-fleet.json");
  let ready;
  const emulatorReady = new Promise((resolve) => (ready = resolve));
  start("emulator", "npx", [
    "tsx", "emulator/src/cli.ts",
    "--devices", String(DEVICES),
    "--first-ip", FIRST_IP,
    "--http-port", "8080",
    "--proxy", PRIMARY,
    "--redundant-proxy", REDUNDANT,
    "--start-proxies",
    // Short SIP timers so a failover shows within ~20 s: T1 200 ms (transaction timeout 12.8 s), OPTIONS every 5 s.
    "--t1", "200",
    "--ka-period", "5",
    "--manifest", manifest,
    "--control-port", CONTROL_PORT,
    "--state-dir", path.join(DATA_DIR, "emulator"),
  ], {}, (line) => /emulator ready/.test(line) && ready());
  // The portal imports the manifest at start, so it must exist first.
  await emulatorReady;
}

start("portal", "node", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", PORT], manifest ? { SEED_MANIFEST: manifest } : {});
console.log(`\nSIP Admin Portal: http://127.0.0.1:${PORT}  (Ctrl-C stops the demo)`);
if (DEVICES > 0) console.log(`Emulator control surface: http://127.0.0.1:${CONTROL_PORT} (see emulator/README.md)`);
