// When each phone last answered (device_status.checked_at, issue 15 freshness) against the real emulator and a real
// PostgreSQL: the poller stores the answers in ONE statement per poll window — never one per poll — an offline
// phone keeps its last answer, stop() stores what the unfinished window saw, and the REST replies of a process
// without a poller (POLLER=off) read the stored time with the freshness threshold.
// Address range (s6-ui): control 127.64.0.1:8080, phones 127.64.1.1–2:8080 (no SIP: inert phones).
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as list from "@/app/api/v1/devices/route";
import * as oneStatus from "@/app/api/v1/devices/[id]/status/route";
import { getDb, schema, type Db } from "@/lib/db";
import { deviceStatus } from "@/lib/db/schema";
import { closeDeviceClients } from "@/lib/device";
import { createEventBus } from "@/lib/events";
import { createDevice } from "@/lib/inventory/devices";
import { getPoller, Poller } from "@/lib/poller";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";

const f = useApiFixture();
const CONTROL = "127.64.0.1:8080";
const [STEADY, OFFLINE] = ["127.64.1.1", "127.64.1.2"];
const ids: Record<string, string> = {};

let fleet: Emulator;
let pool: pg.Pool;
let poller: Poller;
/** Every statement the poller sent (drizzle's query log, transactions included). */
const statements: string[] = [];
const flushes = () => statements.filter((s) => /checked_at/.test(s) && /unnest/.test(s)).length;
// One fingerprint read opens every window (store.ts targetsFingerprint).
const windows = () => statements.filter((s) => /hashtextextended/.test(s)).length;
const polls = () => poller.health().totals.polls;

async function control(path: string, body: unknown): Promise<void> {
  const res = await request(`http://${CONTROL}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control ${path} answered ${res.statusCode}: ${text}`);
}

async function row(ip: string) {
  const [r] = await (await getDb()).select().from(deviceStatus).where(eq(deviceStatus.deviceId, ids[ip]));
  return r ?? null;
}
const checkedAt = async (ip: string) => (await row(ip))?.checkedAt?.getTime() ?? null;

beforeAll(async () => {
  fleet = await startFleet({ devices: 2, firstIp: STEADY, httpPort: 8080, username: "admin", password: "seen-pass", sip: false, controlHost: "127.64.0.1", controlPort: 8080 });
  for (const ip of [STEADY, OFFLINE]) ids[ip] = (await createDevice({ name: `phone ${ip}`, address: `${ip}:8080`, username: "admin", password: "seen-pass" }, "test")).id;
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const db = drizzle(pool, { schema, logger: { logQuery: (q) => void statements.push(q) } }) as unknown as Db;
  // Not startPoller: this process has no registered poller, like a web process with POLLER=off.
  poller = new Poller({ intervalS: 1, concurrency: 4, timeoutMs: 1_000, db: async () => db, bus: createEventBus() });
  await poller.start();
  for (const ip of [STEADY, OFFLINE]) await eventually(`${ip}'s answer stored`, () => checkedAt(ip), (t) => t !== null);
}, 120_000);

afterAll(async () => {
  await poller?.stop();
  await pool?.end();
  await closeDeviceClients();
  await fleet?.stop();
});

describe("last answer per phone, stored", () => {
  it("is written in one statement per poll window, not per poll, and moves with the answers", async () => {
    const before = { flushes: flushes(), windows: windows(), polls: polls(), steady: (await checkedAt(STEADY))! };
    await eventually("sixteen more polls (eight windows)", () => ({ polls: polls() - before.polls, windows: windows() - before.windows }), (n) => n.polls >= 16 && n.windows >= 8);
    const delta = { flushes: flushes() - before.flushes, windows: windows() - before.windows, polls: polls() - before.polls };
    // A write per answer would be one per poll (two phones: twice the windows).
    // ± one: a window's write and its fingerprint read may fall on either side of the counts taken.
    expect(delta.flushes, JSON.stringify(delta)).toBeLessThanOrEqual(delta.windows + 1);
    expect(delta.flushes, JSON.stringify(delta)).toBeGreaterThan(0);
    expect(delta.flushes, JSON.stringify(delta)).toBeLessThan(delta.polls);
    expect((await checkedAt(STEADY))!).toBeGreaterThan(before.steady);
    expect((await checkedAt(STEADY))!).toBeLessThanOrEqual(poller.lastSeen(ids[STEADY])!.getTime());
  });

  it("an offline phone keeps its last answer while the answering one moves on", async () => {
    await control(`/devices/${OFFLINE}/fault`, { mode: "offline" });
    await eventually("unreachable recorded", () => row(OFFLINE), (r) => r?.state === "unreachable");
    // A status change stores its own answer time (writeDecision, a few ms after the answer): ≥, not =.
    const last = poller.lastSeen(ids[OFFLINE])!.getTime();
    const stored = (await eventually("the last answer stored", () => checkedAt(OFFLINE), (t) => t! >= last))!;
    const steady = (await checkedAt(STEADY))!;
    const w = windows();
    await eventually("three more windows", () => windows(), (n) => n >= w + 3);
    await eventually("the answering phone's time stored anew", () => checkedAt(STEADY), (t) => t! > steady);
    expect(await checkedAt(OFFLINE)).toBe(stored);
    expect((await row(OFFLINE))!.updatedAt.getTime()).toBeGreaterThan(stored); // it went unreachable after its last answer
  });

  it("the list and the status reply of a process without a poller carry the stored time and the threshold", async () => {
    expect(getPoller()).toBeUndefined();
    const stored = new Date((await checkedAt(OFFLINE))!).toISOString();
    const page = await call(list.GET, "GET", "/devices", { token: f.viewer });
    // Defaults POLL_INTERVAL_S 15 and a long-poll wait of the interval: 2 × 15 s + one 15 s window (lib/poller/freshness).
    expect(page.body.staleAfterS).toBe(45);
    const item = page.body.items.find((d: { id: string }) => d.id === ids[OFFLINE]);
    expect(item).toMatchObject({ lastSeenAt: stored, status: { state: "unreachable" } });
    const status = await call(oneStatus.GET, "GET", `/devices/${ids[OFFLINE]}/status`, { token: f.viewer, params: { id: ids[OFFLINE] } });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ state: "unreachable", lastSeenAt: stored, staleAfterS: 45 });
  });

  it("stop() stores the answers of the window it cut short", async () => {
    await poller.stop();
    const before = (await checkedAt(STEADY))!;
    // A 30 s window: its first answers come long before the window would end, so only stop() can store them.
    const second = new Poller({ intervalS: 30, concurrency: 4, timeoutMs: 1_000, db: getDb, bus: createEventBus(), random: () => 0 }); // no jitter: polled at once
    await second.start();
    try {
      await eventually("the second poller's first answer", () => second.lastSeen(ids[STEADY])?.getTime() ?? 0, (t) => t > before);
    } finally {
      await second.stop();
    }
    expect((await checkedAt(STEADY))!).toBeGreaterThanOrEqual(second.lastSeen(ids[STEADY])!.getTime());
  });
});
