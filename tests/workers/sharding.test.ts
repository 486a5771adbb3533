// Several pollers on one database (lib/poller/shards, pg-boss): two `npm run worker` processes split 300 emulated
// phones so that each phone is polled by exactly one of them per interval (the emulator counts the status requests
// every phone served); SIGKILL one, and the other polls every phone within a few intervals.
// Loopback: phones 127.66.2.1–127.66.3.44:8080, emulator control 127.66.0.3:8080.
import { request } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import { call } from "@/tests/support/api";
import { getDb } from "@/lib/db";
import { deviceStatus } from "@/lib/db/schema";
import { useApiFixture } from "../api/support";
import { inventoryCsv, PASS, USER } from "../jobs/support/emulator";
import { killWorkers, until, worker } from "./support";

const N = 300;
const INTERVAL_S = 3;
const CONTROL = "127.66.0.3:8080";
// This test process polls nothing: its connections must not be tagged as a poller (lib/db/presence), or the workers
// would leave it a share of the shards.
process.env.POLLER = "off";
const f = useApiFixture();
let fleet: Emulator;

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: "127.66.2.1", httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.66.0.3", controlPort: 8080 });
});
afterAll(async () => {
  killWorkers();
  await fleet?.stop();
});

/** Status requests each phone has served so far, by address. */
async function statusCounts(): Promise<Map<string, number>> {
  const res = await request(`http://${CONTROL}/devices`);
  const list = (await res.body.json()) as Array<{ ip: string; requests: { status: number } }>;
  return new Map(list.map((d) => [d.ip, d.requests.status]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls per phone over `intervals` poll intervals. */
async function pollsPerPhone(intervals: number): Promise<number[]> {
  const a = await statusCounts();
  await sleep(intervals * INTERVAL_S * 1000);
  const b = await statusCounts();
  return [...b].map(([ip, n]) => n - (a.get(ip) ?? 0));
}

it("two workers poll each phone once per interval between them; after one is SIGKILLed the other polls them all", async () => {
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => fleet.devices[i].address), "shards") });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const env = { POLLER: "on", JOBS: "off", POLL_INTERVAL_S: String(INTERVAL_S), POLL_SHARDS: "16", ALERTS: "off" };
  const one = worker(env);
  const two = worker(env);
  expect(await one.ready).toMatch(/ready/);
  expect(await two.ready).toMatch(/ready/);
  await until("every phone polled once", async () => (await (await getDb()).select({ id: deviceStatus.deviceId }).from(deviceStatus)).length === N, 60_000);
  // Settle one interval so both workers hold their share, then count over four intervals.
  await sleep(INTERVAL_S * 1000);
  const shared = await pollsPerPhone(4);
  expect(shared).toHaveLength(N);
  // Once per interval: about 4 each. Two pollers on one phone would make it about 8.
  expect(Math.max(...shared), `polls per phone over 4 intervals: ${shared.join(",")}`).toBeLessThanOrEqual(5);
  expect(Math.min(...shared), `every phone is polled: ${shared.join(",")}`).toBeGreaterThanOrEqual(2);

  one.child.kill("SIGKILL");
  await one.exited;
  // The survivor's share grows at its next window; give it two, then count again.
  await sleep(2 * INTERVAL_S * 1000);
  const alone = await pollsPerPhone(4);
  expect(Math.min(...alone), `the survivor polls every phone: ${alone.join(",")}`).toBeGreaterThanOrEqual(2);
  expect(Math.max(...alone)).toBeLessThanOrEqual(5);
  two.child.kill("SIGTERM");
  expect(await two.exited).toBe(0);
}, 180_000);
