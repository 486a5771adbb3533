// The status REST endpoints and the SSE stream against a real PostgreSQL: list filter + status column, one device's
// status with history (newest first), fleet summary, poller health when none runs, and SSE delivery/cleanup.
import { describe, expect, it, beforeAll } from "vitest";
import * as list from "@/app/api/v1/devices/route";
import * as oneStatus from "@/app/api/v1/devices/[id]/status/route";
import * as events from "@/app/api/v1/events/route";
import * as poller from "@/app/api/v1/poller/route";
import * as summary from "@/app/api/v1/status/summary/route";
import { call } from "@/tests/support/api";
import { getDb } from "@/lib/db";
import { eventBus } from "@/lib/events";
import { createDevice } from "@/lib/inventory/devices";
import { writeDecision } from "@/lib/poller/store";
import { decideTransition, type PollOutcome } from "@/lib/poller/transition";
import type { DeviceStatus } from "@/lib/device/replies";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const ids: Record<string, string> = {};
const T0 = Date.parse("2026-01-05T12:00:00.000Z");
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const ka = { address: null, reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null };

function reply(proxy: "primary" | "redundant", sinceS: number, transitions: DeviceStatus["transitions"] = []): PollOutcome {
  return {
    kind: "status",
    status: { state: "registered", proxy, registrar: `10.0.0.${proxy === "primary" ? 5 : 6}:5060`, since: iso(sinceS), registeredAt: iso(sinceS), expiresAt: null, lastError: null, keepAlive: { primary: ka, redundant: ka }, transitions },
  };
}

beforeAll(async () => {
  for (const name of ["alpha", "bravo", "charlie", "delta"]) ids[name] = (await createDevice({ name, address: `127.44.9.${Object.keys(ids).length + 1}:8080` }, "test")).id;
  const db = await getDb();
  const first = decideTransition(null, reply("primary", 0), new Date(T0));
  await writeDecision(db, ids.alpha, first, new Date(T0));
  // bravo: first seen on primary, then failed over (the device's own transition).
  await writeDecision(db, ids.bravo, first, new Date(T0));
  const over = decideTransition({ row: first.row!, lastEventAt: new Date(T0) }, reply("redundant", 30, [
    { at: iso(30), from: { state: "registered", proxy: "primary" }, to: { state: "registered", proxy: "redundant" }, reason: "primary stopped answering OPTIONS" },
  ]), new Date(T0 + 31_000));
  await writeDecision(db, ids.bravo, over, new Date(T0 + 31_000));
  await writeDecision(db, ids.charlie, decideTransition(null, { kind: "error", code: "timeout", message: "no answer in 5 s" }, new Date(T0)), new Date(T0));
  // delta: never polled.
});

describe("status over REST", () => {
  it("the list carries each device's status and filters by it", async () => {
    const all = await call(list.GET, "GET", "/devices", { token: f.viewer });
    const byName = Object.fromEntries(all.body.items.map((d: { name: string; status: unknown }) => [d.name, d.status]));
    expect(byName).toEqual({
      alpha: { state: "registered", proxy: "primary", since: iso(0) },
      bravo: { state: "registered", proxy: "redundant", since: iso(30) },
      charlie: { state: "unreachable", proxy: null, since: iso(0) },
      delta: null,
    });
    const names = async (status: string) => (await call(list.GET, "GET", `/devices?status=${status}`, { token: f.viewer })).body;
    expect(await names("failed_over")).toMatchObject({ total: 1, items: [{ name: "bravo" }] });
    expect(await names("on_primary")).toMatchObject({ total: 1, items: [{ name: "alpha" }] });
    expect(await names("unreachable")).toMatchObject({ total: 1, items: [{ name: "charlie" }] });
    expect(await names("registered")).toMatchObject({ total: 2, items: [{ name: "alpha" }, { name: "bravo" }] });
    expect(await names("unknown")).toMatchObject({ total: 1, items: [{ name: "delta" }] });
    const bad = await call(list.GET, "GET", "/devices?status=sleeping", { token: f.viewer });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.status).toMatch(/failed_over/);
  });

  it("a reported status stores its answer time with it, an unreachable one does not; both replies carry the threshold", async () => {
    const page = await call(list.GET, "GET", "/devices", { token: f.viewer });
    const seen = Object.fromEntries(page.body.items.map((d: { name: string; lastSeenAt: string | null }) => [d.name, d.lastSeenAt]));
    // No poller runs here (POLLER=off): every time comes from device_status.checked_at.
    expect(seen).toEqual({ alpha: iso(0), bravo: iso(31), charlie: null, delta: null });
    expect(page.body.staleAfterS).toBe(45);
    const r = await call(oneStatus.GET, "GET", `/devices/${ids.bravo}/status`, { token: f.viewer, params: { id: ids.bravo } });
    expect(r.body).toMatchObject({ lastSeenAt: iso(31), staleAfterS: 45 });
    const none = await call(oneStatus.GET, "GET", `/devices/${ids.charlie}/status`, { token: f.viewer, params: { id: ids.charlie } });
    expect(none.body).toMatchObject({ state: "unreachable", lastSeenAt: null });
  });

  it("one device's status has the transitions newest first; unknown ids are 404", async () => {
    const r = await call(oneStatus.GET, "GET", `/devices/${ids.bravo}/status`, { token: f.viewer, params: { id: ids.bravo } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: "registered", proxy: "redundant", since: iso(30), registeredTo: "10.0.0.6:5060", registrar: null, lastError: null });
    expect(r.body.history).toEqual([
      { at: iso(30), from: { state: "registered", proxy: "primary" }, to: { state: "registered", proxy: "redundant" }, reason: "primary stopped answering OPTIONS" },
      { at: iso(0), from: { state: null, proxy: null }, to: { state: "registered", proxy: "primary" }, reason: "first status seen by the portal" },
    ]);
    const none = await call(oneStatus.GET, "GET", `/devices/${ids.delta}/status`, { token: f.viewer, params: { id: ids.delta } });
    expect(none.body).toMatchObject({ state: null, history: [] });
    const missing = await call(oneStatus.GET, "GET", "/devices/00000000-0000-4000-8000-000000000000/status", { token: f.viewer, params: { id: "00000000-0000-4000-8000-000000000000" } });
    expect(missing.status).toBe(404);
  });

  it("the summary counts every device once; without a poller the health says so", async () => {
    const s = await call(summary.GET, "GET", "/status/summary", { token: f.viewer });
    expect(s.body.counts).toEqual({ registeredPrimary: 1, registeredRedundant: 1, registering: 0, unregistered: 0, failed: 0, unreachable: 1, unknown: 1, total: 4 });
    expect(s.body.trend).toEqual([]);
    const h = await call(poller.GET, "GET", "/poller", { token: f.viewer });
    expect(h.body).toMatchObject({ running: false });
  });
});

describe("GET /events (SSE)", () => {
  it("needs a session", async () => {
    const r = await call(events.GET, "GET", "/events");
    expect(r.status).toBe(401);
  });

  it("streams published status events and unsubscribes when the browser goes away", async () => {
    const abort = new AbortController();
    const before = eventBus().listenerCount("status");
    const res = await events.GET(new Request("http://127.0.0.1/api/v1/events", { headers: { authorization: `Bearer ${f.viewer}` }, signal: abort.signal }), { params: Promise.resolve({}) });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^retry: \d+\nevent: ready\n/);
    expect(eventBus().listenerCount("status")).toBe(before + 1);
    eventBus().publish("status", { deviceId: ids.alpha, state: "unreachable", proxy: null, since: iso(99), lastError: "gone", reason: "test" });
    text = decoder.decode((await reader.read()).value);
    expect(text).toBe(`event: status\ndata: ${JSON.stringify({ deviceId: ids.alpha, state: "unreachable", proxy: null, since: iso(99), lastError: "gone", reason: "test" })}\n\n`);
    abort.abort();
    expect(eventBus().listenerCount("status")).toBe(before);
  });
});
