// decideTransition with a fake clock: what gets written, which timeline events, and when nothing is written.
import { describe, expect, it } from "vitest";
import type { DeviceStatus } from "@/lib/device/replies";
import { decideTransition, significantlyDifferent, type Known, type PollOutcome } from "./transition";

const T0 = Date.parse("2026-01-05T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000);
const iso = (s: number) => at(s).toISOString();

const health = (reachable: boolean | null, okS: number | null = null, rttMs: number | null = null) => ({
  address: "10.0.0.5:5060",
  reachable,
  lastOkAt: okS === null ? null : iso(okS),
  lastFailAt: null,
  rttMs,
});

function status(over: Partial<DeviceStatus> = {}): DeviceStatus {
  return {
    state: "registered",
    proxy: "primary",
    registrar: "10.0.0.5:5060",
    since: iso(0),
    registeredAt: iso(0),
    expiresAt: iso(60),
    lastError: null,
    keepAlive: { primary: health(true, 1, 3), redundant: health(null) },
    transitions: [{ at: iso(0), from: { state: "registering", proxy: "primary" }, to: { state: "registered", proxy: "primary" }, reason: "REGISTER 200 OK" }],
    ...over,
  };
}
const ok = (s: DeviceStatus): PollOutcome => ({ kind: "status", status: s });

/** What the portal knows after recording `s` (as the poller would). */
function knownFrom(s: DeviceStatus, lastEventS: number | null = 0): Known {
  const d = decideTransition(null, ok(s), at(0));
  return { row: d.row!, lastEventAt: lastEventS === null ? null : at(lastEventS) };
}

describe("decideTransition", () => {
  it("first sight writes the row and one 'first status seen' event at the device's since", () => {
    const d = decideTransition(null, ok(status()), at(5));
    expect(d.row).toMatchObject({ state: "registered", proxy: "primary", registrar: "10.0.0.5:5060", since: at(0), expiresAt: at(60) });
    expect(d.events).toEqual([{ at: at(0), fromState: null, fromProxy: null, toState: "registered", toProxy: "primary", reason: "first status seen by the portal" }]);
  });

  it("a 304 writes nothing", () => {
    expect(decideTransition(knownFrom(status()), { kind: "not_modified" }, at(30))).toEqual({ row: null, events: [] });
  });

  it("refreshed keep-alive times, round trips and expiry are not a change", () => {
    const later = status({ expiresAt: iso(90), keepAlive: { primary: health(true, 29, 7), redundant: health(null) } });
    expect(decideTransition(knownFrom(status()), ok(later), at(30))).toEqual({ row: null, events: [] });
  });

  it("a failover is recorded with the device's own transitions and reasons, oldest first", () => {
    const failedOver = status({
      proxy: "redundant",
      registrar: "10.0.0.6:5060",
      since: iso(20),
      keepAlive: { primary: health(false, 1), redundant: health(true, 20) },
      transitions: [
        { at: iso(20), from: { state: "registering", proxy: "redundant" }, to: { state: "registered", proxy: "redundant" }, reason: "REGISTER 200 OK from redundant" },
        { at: iso(19), from: { state: "registered", proxy: "primary" }, to: { state: "registering", proxy: "redundant" }, reason: "primary stopped answering OPTIONS" },
        { at: iso(0), from: { state: "registering", proxy: "primary" }, to: { state: "registered", proxy: "primary" }, reason: "REGISTER 200 OK" },
      ],
    });
    const d = decideTransition(knownFrom(status()), ok(failedOver), at(22));
    expect(d.row).toMatchObject({ state: "registered", proxy: "redundant", registrar: "10.0.0.6:5060", since: at(20) });
    expect(d.events).toEqual([
      { at: at(19), fromState: "registered", fromProxy: "primary", toState: "registering", toProxy: "redundant", reason: "primary stopped answering OPTIONS" },
      { at: at(20), fromState: "registering", fromProxy: "redundant", toState: "registered", toProxy: "redundant", reason: "REGISTER 200 OK from redundant" },
    ]);
  });

  it("a change without a matching device transition is synthesized", () => {
    const changed = status({ state: "failed", proxy: "primary", since: iso(40), lastError: "403 Forbidden", transitions: [] });
    const d = decideTransition(knownFrom(status()), ok(changed), at(41));
    expect(d.events).toEqual([
      { at: at(40), fromState: "registered", fromProxy: "primary", toState: "failed", toProxy: "primary", reason: "state changed (the device reported no transition)" },
    ]);
  });

  it("with no recorded event (pruned), only device transitions after the known since count", () => {
    const d = decideTransition(knownFrom(status(), null), ok(status({ keepAlive: { primary: health(false, 1), redundant: health(null) } })), at(50));
    expect(d.row).not.toBeNull();
    expect(d.events).toEqual([]);
  });

  it("a device that stops answering becomes unreachable since now, with the classified message", () => {
    const d = decideTransition(knownFrom(status()), { kind: "error", code: "unreachable", message: "10.0.0.9:80: connection refused" }, at(60));
    expect(d.row).toMatchObject({ state: "unreachable", proxy: null, since: at(60), lastError: "10.0.0.9:80: connection refused" });
    expect(d.events).toEqual([
      { at: at(60), fromState: "registered", fromProxy: "primary", toState: "unreachable", toProxy: null, reason: "device stopped answering the portal (unreachable): 10.0.0.9:80: connection refused" },
    ]);
  });

  it("staying unreachable writes nothing; a different failure only updates lastError", () => {
    const down = decideTransition(knownFrom(status()), { kind: "error", code: "timeout", message: "no answer in 5 s" }, at(60));
    const known: Known = { row: down.row!, lastEventAt: at(60) };
    expect(decideTransition(known, { kind: "error", code: "timeout", message: "no answer in 5 s" }, at(90))).toEqual({ row: null, events: [] });
    const other = decideTransition(known, { kind: "error", code: "unauthorized", message: "401" }, at(120));
    expect(other.events).toEqual([]);
    expect(other.row).toMatchObject({ state: "unreachable", lastError: "401", since: at(60) });
  });

  it("coming back from unreachable records one event from unreachable to the current state", () => {
    const down = decideTransition(knownFrom(status()), { kind: "error", code: "timeout", message: "no answer" }, at(60));
    const d = decideTransition({ row: down.row!, lastEventAt: at(60) }, ok(status({ since: iso(0) })), at(200));
    expect(d.row).toMatchObject({ state: "registered", proxy: "primary" });
    expect(d.events).toEqual([
      { at: at(200), fromState: "unreachable", fromProxy: null, toState: "registered", toProxy: "primary", reason: "device answers the portal again (last change on the device: REGISTER 200 OK)" },
    ]);
  });

  it("significantlyDifferent notices reachability of a proxy but not its times", () => {
    const a = knownFrom(status()).row;
    expect(significantlyDifferent(a, { ...a, keepAlive: { primary: health(true, 99, 1), redundant: health(null) } })).toBe(false);
    expect(significantlyDifferent(a, { ...a, keepAlive: { primary: health(false, 1), redundant: health(null) } })).toBe(true);
  });
});
