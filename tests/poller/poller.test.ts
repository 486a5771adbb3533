// The poller against the real emulator (real SIP UAs + demo registrars over UDP) and a real PostgreSQL: a failover
// and failback staged through the control surface are recorded with the device's reasons, a stable phone causes
// no writes, and an offline phone is polled with growing backoff.
// Address range: control 127.44.0.1:8080, registrars 127.44.0.2/3:5060, phones 127.44.1.1–3:8080.
import { eq } from "drizzle-orm";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoProxies, type DemoProxies } from "../../emulator/src/control/proxies";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { getDb } from "@/lib/db";
import { deviceStatus, statusEvents } from "@/lib/db/schema";
import { useTempDataDir } from "@/tests/support/db";
import { closeDeviceClients } from "@/lib/device";
import { createEventBus, type StatusEvent } from "@/lib/events";
import { createDevice } from "@/lib/inventory/devices";
import { Poller } from "@/lib/poller";
import { eventually } from "../support/eventually";

useTempDataDir();
const CONTROL = "127.44.0.1:8080";
const [FLIP, STEADY, OFFLINE] = ["127.44.1.1", "127.44.1.2", "127.44.1.3"];
const INTERVAL_S = 1;

let proxies: DemoProxies;
let fleet: Emulator;
let poller: Poller;
const ids: Record<string, string> = {};
const published: StatusEvent[] = [];

async function control(path: string, body: unknown): Promise<void> {
  const res = await request(`http://${CONTROL}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${path} answered ${res.statusCode}: ${text}`);
}

async function statusRow(ip: string) {
  const db = await getDb();
  const [row] = await db.select().from(deviceStatus).where(eq(deviceStatus.deviceId, ids[ip]));
  return row ?? null;
}
async function events(ip: string) {
  const db = await getDb();
  return db.select().from(statusEvents).where(eq(statusEvents.deviceId, ids[ip])).orderBy(statusEvents.at, statusEvents.id);
}

beforeAll(async () => {
  proxies = await startDemoProxies("127.44.0.2:5060", "127.44.0.3:5060");
  fleet = await startFleet({
    devices: 3,
    firstIp: FLIP,
    httpPort: 8080,
    username: "admin",
    password: "poll-pass",
    proxy: "127.44.0.2:5060",
    redundantProxy: "127.44.0.3:5060",
    // Short SIP timers: a transaction times out in 6.4 s, keep-alive OPTIONS every second.
    t1: 100,
    kaPeriod: 1,
    proxies: proxies.controls,
    controlHost: "127.44.0.1",
    controlPort: 8080,
  });
  for (const ip of [FLIP, STEADY, OFFLINE]) {
    ids[ip] = (await createDevice({ name: `phone ${ip}`, address: `${ip}:8080`, username: "admin", password: "poll-pass" }, "test")).id;
  }
  const bus = createEventBus();
  bus.subscribe("status", (e) => published.push(e));
  poller = new Poller({ intervalS: INTERVAL_S, concurrency: 4, timeoutMs: 2_000, bus });
  await poller.start();
  for (const ip of [FLIP, STEADY, OFFLINE])
    await eventually(`${ip} registered to primary`, () => statusRow(ip), (r) => r?.state === "registered" && r.proxy === "primary");
});

afterAll(async () => {
  await poller?.stop();
  await closeDeviceClients();
  await fleet?.stop();
  await proxies?.stop();
});

describe("status poller against the emulator", () => {
  it("records a failover to the redundant proxy and the failback, with the device's reasons, and publishes both", async () => {
    await control(`/devices/${FLIP}/partition`, { role: "primary", cut: true });
    const over = await eventually("failover recorded", () => statusRow(FLIP), (r) => r?.state === "registered" && r.proxy === "redundant");
    expect(over!.registrar).toBe("127.44.0.3:5060");
    expect(over!.keepAlive).toMatchObject({ primary: { reachable: false } });

    await control(`/devices/${FLIP}/partition`, { role: "primary", cut: false });
    await eventually("failback recorded", () => statusRow(FLIP), (r) => r?.state === "registered" && r.proxy === "primary");

    const timeline = await events(FLIP);
    const toRedundant = timeline.findIndex((e) => e.toState === "registered" && e.toProxy === "redundant");
    const backToPrimary = timeline.findIndex((e, i) => i > toRedundant && e.toState === "registered" && e.toProxy === "primary");
    expect(toRedundant).toBeGreaterThan(0);
    expect(backToPrimary).toBeGreaterThan(toRedundant);
    // Reasons come from the phone (not the portal's fallback text).
    for (const e of timeline.slice(1)) expect(e.reason).not.toMatch(/reported no transition/);
    const mine = published.filter((e) => e.deviceId === ids[FLIP]).map((e) => `${e.state}/${e.proxy}`);
    expect(mine).toContain("registered/redundant");
    expect(mine.lastIndexOf("registered/primary")).toBeGreaterThan(mine.indexOf("registered/redundant"));
  });

  it("writes nothing while nothing changes, though every poll gets a fresh status (keep-alive times)", async () => {
    const before = { row: await statusRow(STEADY), events: (await events(STEADY)).length, polls: poller.slotOf(ids[STEADY])!.polls };
    const publishedBefore = published.filter((e) => e.deviceId === ids[STEADY]).length;
    await eventually("four more polls of the steady phone", () => poller.slotOf(ids[STEADY])!.polls, (n) => n >= before.polls + 4);
    const after = await statusRow(STEADY);
    expect(after!.updatedAt.getTime()).toBe(before.row!.updatedAt.getTime());
    expect(after!.keepAlive).toEqual(before.row!.keepAlive);
    expect((await events(STEADY)).length).toBe(before.events);
    expect(published.filter((e) => e.deviceId === ids[STEADY]).length).toBe(publishedBefore);
  });

  it("marks an offline phone unreachable with the classified error, backs off, and records its return", async () => {
    const atFault = { offline: poller.slotOf(ids[OFFLINE])!.polls, steady: poller.slotOf(ids[STEADY])!.polls };
    await control(`/devices/${OFFLINE}/fault`, { mode: "offline" });
    const down = await eventually("unreachable recorded", () => statusRow(OFFLINE), (r) => r?.state === "unreachable");
    expect(down!.lastError).toMatch(/127\.44\.1\.3:8080/);
    const slot = await eventually("three failed polls", () => poller.slotOf(ids[OFFLINE])!, (s) => s.failures >= 3);
    // After 3 consecutive failures the next poll waits 2³ intervals (±10 % jitter), not one interval.
    expect(slot.lastDelayMs).toBeGreaterThanOrEqual(8 * INTERVAL_S * 1000 * 0.9);
    expect(poller.health().backingOff).toBeGreaterThanOrEqual(1);
    // Since the fault, the healthy phone was polled more often than the failing one (counted from the fault: before
    // it, a held phone answers about once per interval, while the failing one's quick retries came first).
    const pollsSinceFault = { offline: slot.polls - atFault.offline, steady: poller.slotOf(ids[STEADY])!.polls - atFault.steady };
    expect(pollsSinceFault.steady, JSON.stringify(pollsSinceFault)).toBeGreaterThan(pollsSinceFault.offline);
    const downEvents = (await events(OFFLINE)).filter((e) => e.toState === "unreachable");
    expect(downEvents).toHaveLength(1);
    expect(downEvents[0].reason).toMatch(/^device stopped answering the portal \(unreachable\)/);

    await control(`/devices/${OFFLINE}/fault`, { mode: "none" });
    await eventually("return recorded", () => statusRow(OFFLINE), (r) => r !== null && r.state !== "unreachable", 60_000);
    const back = (await events(OFFLINE)).at(-1)!;
    expect(back.fromState).toBe("unreachable");
    expect(back.reason).toMatch(/^device answers the portal again/);
  });
});
