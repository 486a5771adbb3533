#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other (they share loopback addresses and 2 cores, so never at once).
// Each prints its own figures and ratios measured in the same run; nothing here passes or fails.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const only = process.argv.slice(2);
const benches = [];
if (existsSync(path.join(root, "scripts/bench-emulator.mjs"))) benches.push(["node", "scripts/bench-emulator.mjs"]);
for (const f of readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".ts")).sort()) benches.push(["npx", "tsx", `bench/${f}`]);

let failures = 0;
for (const cmd of benches) {
  if (only.length && !only.some((o) => cmd.join(" ").includes(o))) continue;
  console.log(`\n=== ${cmd.slice(-1)[0]} ===`);
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) failures += 1;
}
if (failures) console.log(`\n${failures} benchmark(s) did not complete`);
process.exit(failures ? 1 : 0);
