// Held status long-polls across workers: two `npm run worker` processes split 40 emulated phones that offer the
// long-poll, so each phone holds exactly one long-poll (the emulator's control surface counts the ones it holds);
// SIGKILL one, and its phones — released the moment its sockets close — are held by the survivor within a few windows.
// Loopback: phones 127.66.9.1–40:8080, emulator control 127.66.0.5:8080.
import { request } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as importRoute from "@/app/api/v1/devices/import/route";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { inventoryCsv, PASS, USER } from "../jobs/support/emulator";
import { killWorkers, until, worker } from "./support";

const N = 40;
const CONTROL = "127.66.0.5:8080";
process.env.POLLER = "off"; // this process polls nothing (see sharding.test.ts)
const f = useApiFixture();
let fleet: Emulator;

beforeAll(async () => {
  fleet = await startFleet({ devices: N, firstIp: "127.66.9.1", httpPort: 8080, sip: false, username: USER, password: PASS, controlHost: "127.66.0.5", controlPort: 8080 });
});
afterAll(async () => {
  killWorkers();
  await fleet?.stop();
});

/** Long-polls each phone holds right now. */
async function waiters(): Promise<number[]> {
  const res = await request(`http://${CONTROL}/devices`);
  const list = (await res.body.json()) as Array<{ statusWaiters: number }>;
  return list.map((d) => d.statusWaiters);
}

it("two workers hold one long-poll per phone between them; a SIGKILLed worker's phones are held by the survivor", async () => {
  const imported = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: inventoryCsv(Array.from({ length: N }, (_, i) => fleet.devices[i].address), "held") });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  // Windows of 3 s (shards move at window boundaries); a 30 s wait, so a held phone answers nothing meanwhile and
  // the count is stable.
  const env = { POLLER: "on", JOBS: "off", POLL_INTERVAL_S: "3", POLL_WAIT_S: "30", POLL_SHARDS: "16", ALERTS: "off" };
  const one = worker(env);
  const two = worker(env);
  expect(await one.ready).toMatch(/ready/);
  expect(await two.ready).toMatch(/ready/);
  const all = await until("every phone held once", async () => {
    const w = await waiters();
    return w.every((n) => n === 1) && w;
  });
  expect(all).toHaveLength(N);
  // Stable over two windows: nobody takes a second long-poll on a phone (two holders would show 2).
  await new Promise((r) => setTimeout(r, 6_000));
  expect(Math.max(...(await waiters()))).toBe(1);

  one.child.kill("SIGKILL");
  await one.exited;
  // Its sockets closed with it: its phones hold nothing until the survivor's next window takes them.
  const released = await until("the victim's long-polls released", async () => {
    const w = await waiters();
    return w.some((n) => n === 0) && w;
  });
  expect(released.filter((n) => n === 1).length, "the survivor kept its own").toBeGreaterThan(0);
  await until("every phone held again, by the survivor", async () => (await waiters()).every((n) => n === 1));
  expect(Math.max(...(await waiters()))).toBe(1);
  two.child.kill("SIGTERM");
  expect(await two.exited).toBe(0);
}, 180_000);
