// The poller's held long-poll against the real emulator (real SIP user agents + demo registrars) and PostgreSQL:
// a phone that advertises the long-poll (Status-Wait-Max) is held, so its registration change reaches the event bus
// long before the next interval poll could; a phone without it (older firmware, --no-status-wait) keeps interval
// polling. The worker-kill case is tests/workers/long-poll.test.ts.
// Loopback: registrars 127.66.6.2/3:5060, phones 127.66.7.1 (long-poll) and 127.66.8.1–2 (none), port 8080.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoProxies, type DemoProxies } from "../../emulator/src/control/proxies";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { useTempDataDir } from "@/tests/support/db";
import { closeDeviceClients } from "@/lib/device";
import { createEventBus, type StatusEvent } from "@/lib/events";
import { createDevice, deleteDevice, updateDevice } from "@/lib/inventory/devices";
import { Poller } from "@/lib/poller";
import { eventually } from "../support/eventually";

useTempDataDir();
const [HELD, PLAIN] = ["127.66.7.1", "127.66.8.1"];
const REGISTRARS = ["127.66.6.2:5060", "127.66.6.3:5060"];
const auth = { username: "admin", password: "hold-pass" };

let proxies: DemoProxies;
let fleets: Emulator[] = [];
const ids: Record<string, string> = {};

const phone = (ip: string) => fleets.map((f) => f.get(ip)).find(Boolean)!;
/** A registration change made on the phone itself: its registrar switched off in its own config. */
async function unregister(ip: string): Promise<void> {
  const outcome = await phone(ip).change({ "voip/signalling/sip/use_proxy": 0 });
  expect(outcome.ok).toBe(true);
}
async function register(ip: string): Promise<void> {
  expect((await phone(ip).change({ "voip/signalling/sip/use_proxy": 1 })).ok).toBe(true);
  await eventually(`${ip} registered on the phone`, () => phone(ip).status().state, (s) => s === "registered");
}

beforeAll(async () => {
  proxies = await startDemoProxies(REGISTRARS[0], REGISTRARS[1]);
  const common = { devices: 1, httpPort: 8080, ...auth, proxy: REGISTRARS[0], redundantProxy: REGISTRARS[1], t1: 100, kaPeriod: 30, proxies: proxies.controls };
  fleets = [await startFleet({ ...common, firstIp: HELD }), await startFleet({ ...common, firstIp: PLAIN, statusWait: false })];
  for (const ip of [HELD, PLAIN]) {
    ids[ip] = (await createDevice({ name: `phone ${ip}`, address: `${ip}:8080`, ...auth }, "test")).id;
    await eventually(`${ip} registered on the phone`, () => phone(ip).status().state, (s) => s === "registered");
  }
});

afterAll(async () => {
  await closeDeviceClients();
  await Promise.all(fleets.map((f) => f.stop()));
  await proxies?.stop();
});

function pollerWith(intervalS: number, published: StatusEvent[]): Poller {
  const bus = createEventBus();
  bus.subscribe("status", (e) => published.push(e));
  // random 0: every phone's first (short) poll is due at once, the next one a whole interval later.
  return new Poller({ intervalS, concurrency: 4, timeoutMs: 2_000, bus, random: () => 0 });
}

describe("held status long-poll", () => {
  it("a registration change reaches the event bus through the held long-poll, well before the 60 s interval poll", async () => {
    const published: StatusEvent[] = [];
    const poller = pollerWith(60, published);
    await poller.start();
    try {
      await eventually("both phones seen registered", () => published, (p) => [HELD, PLAIN].every((ip) => p.some((e) => e.deviceId === ids[ip] && e.state === "registered")));
      await eventually("the long-poll phone held", () => poller.slotOf(ids[HELD]), (s) => s?.held === true);
      expect(poller.slotOf(ids[PLAIN])?.held).toBe(false);
      expect(poller.health().held).toBe(1);
      expect(phone(HELD).statusWaiters).toBe(1);
      expect(phone(PLAIN).statusWaiters).toBe(0);

      await unregister(HELD);
      // The next short poll of this phone is due 60 s after its first: only the held request can bring this sooner
      // (the helper gives up after 15 s).
      const event = await eventually("the change on the bus", () => published.find((e) => e.deviceId === ids[HELD] && e.state !== "registered"), Boolean, 15_000);
      expect(event!.state).toBe("unregistered");
      // Held again right after the answer.
      await eventually("held again", () => phone(HELD).statusWaiters, (n) => n === 1, 15_000);
    } finally {
      await poller.stop();
    }
    // Stopping gives the held request up: the phone holds nothing for this process any more.
    await eventually("released on stop", () => phone(HELD).statusWaiters, (n) => n === 0, 15_000);
    await register(HELD);
  });

  it("a phone without the long-poll is polled at the interval and its change still arrives", async () => {
    const published: StatusEvent[] = [];
    const poller = pollerWith(1, published);
    await poller.start();
    try {
      const before = phone(PLAIN).requests.status;
      await eventually("several interval polls of the plain phone", () => phone(PLAIN).requests.status - before, (n) => n >= 3);
      expect(poller.slotOf(ids[PLAIN])?.held).toBe(false);
      expect(phone(PLAIN).statusWaiters).toBe(0);
      await unregister(PLAIN);
      const event = await eventually("its change on the bus", () => published.find((e) => e.deviceId === ids[PLAIN] && e.state !== "registered"), Boolean);
      expect(event!.state).toBe("unregistered");
      expect(poller.slotOf(ids[PLAIN])?.held).toBe(false);
    } finally {
      await poller.stop();
    }
  });

  it("the device list is re-read when it changes (the window's fingerprint check): added, re-addressed and deleted devices", async () => {
    const poller = pollerWith(1, []);
    await poller.start();
    try {
      // A phone added to the inventory under a wrong password, then corrected, then deleted.
      const added = await fleets[1].add();
      const extra = await createDevice({ name: "extra", address: added.address, username: auth.username, password: "wrong" }, "test");
      await eventually("the new device polled (and refused)", () => poller.slotOf(extra.id), (s) => (s?.failures ?? 0) >= 1);
      await updateDevice(extra.id, { password: auth.password }, "test");
      await eventually("its new credentials used", () => poller.slotOf(extra.id), (s) => s !== undefined && s.failures === 0 && s.polls > 1);
      await deleteDevice(extra.id, "test");
      await eventually("the deleted device dropped", () => poller.slotOf(extra.id), (s) => s === undefined);
    } finally {
      await poller.stop();
    }
  });
});
