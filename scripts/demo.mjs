#!/usr/bin/env node
// `npm run demo`: the product on its embedded default — an emulated fleet of phones registered to two demo SIP
// registrars (primary + redundant) on loopback, and the portal (its embedded PostgreSQL server in DATA_DIR) that polls
// them. The fleet is mixed so a new user sees every driver: most phones serve the JSON API (mt505 tree), a fifth the
// AudioCodes-family web interface and a fifth pull their file from the portal's provisioning server (both in the
// 310HD tree); DEMO_MIX=api:N,web@audiocodes-hd:N,… picks another mix, DEMO_MIX=api:N the old all-JSON fleet.
// Ctrl-C stops everything.
import { randomBytes } from "node:crypto";
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
// The phones' provisioning credentials: the portal's when given, else fresh ones for this run (the settings page shows them).
const PROVISIONING_USERNAME = process.env.PROVISIONING_USERNAME || "phones";
const PROVISIONING_PASSWORD = process.env.PROVISIONING_PASSWORD || randomBytes(12).toString("hex");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATA_DIR, POLL_INTERVAL_S, PROVISIONING_USERNAME, PROVISIONING_PASSWORD };

/** api / web / provisioning counts: a fifth each of web and provisioning (at least one each from 3 phones). */
function defaultMix(n) {
  if (n < 3) return `api:${n}`;
  const side = Math.max(1, Math.floor(n / 5));
  return `api:${n - 2 * side},web@audiocodes-hd:${side},provisioning@audiocodes-hd:${side}`;
}
const MIX = process.env.DEMO_MIX ?? defaultMix(DEVICES);

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
    "--mix", MIX,
    "--first-ip", FIRST_IP,
    "--http-port", "8080",
    "--proxy", PRIMARY,
    "--redundant-proxy", REDUNDANT,
    "--start-proxies",
    // Short SIP timers so a failover shows within ~20 s: T1 200 ms (transaction timeout 12.8 s), OPTIONS every 5 s.
    "--t1", "200",
    "--ka-period", "5",
    // Provisioning phones fetch <mac>.cfg from the portal: at boot (the portal may not be up yet), on check-sync and
    // every minute, so they pick up their file soon after the portal has added them.
    "--provisioning-url", `http://${PROVISIONING_USERNAME}:${PROVISIONING_PASSWORD}@127.0.0.1:${PORT}/provisioning/`,
    "--provisioning-period", "60",
    "--manifest", manifest,
    "--control-port", CONTROL_PORT,
    "--state-dir", path.join(DATA_DIR, "emulator"),
  ], {}, (line) => /emulator ready/.test(line) && ready());
  // The portal imports the manifest at start, so it must exist first.
  await emulatorReady;
}

// Provisioning phones take their whole config from the portal, which cannot read them: seed what the emulator gives
// every other phone (the demo registrars, short timers), so their first file keeps them registered.
const hostPort = (hp) => [hp.slice(0, hp.lastIndexOf(":")), Number(hp.slice(hp.lastIndexOf(":") + 1))];
const SIP = "voip/signalling/sip/";
const seedConfig = {
  [`${SIP}use_proxy`]: 1,
  [`${SIP}proxy_address`]: hostPort(PRIMARY)[0],
  [`${SIP}proxy_port`]: hostPort(PRIMARY)[1],
  [`${SIP}redundant/use_redundant_proxy`]: 1,
  [`${SIP}redundant/redundant_proxy_address`]: hostPort(REDUNDANT)[0],
  [`${SIP}redundant/redundant_proxy_port`]: hostPort(REDUNDANT)[1],
  [`${SIP}redundant/redundant_proxy_ka_period`]: 5,
  [`${SIP}sip_t1`]: 200,
};
start("portal", "node", ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", PORT], manifest ? { SEED_MANIFEST: manifest, SEED_PROVISIONING_CONFIG: JSON.stringify(seedConfig) } : {});
console.log(`\nSIP Admin Portal: http://127.0.0.1:${PORT}  (Ctrl-C stops the demo)`);
if (DEVICES > 0) {
  console.log(`Emulator control surface: http://127.0.0.1:${CONTROL_PORT} (see emulator/README.md)`);
  console.log(`Fleet: ${MIX} (driver api = JSON API, web = web interface, provisioning = pulls ${"<mac>"}.cfg; filter the device list by driver)`);
}
