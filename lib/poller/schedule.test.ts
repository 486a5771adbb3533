// The poll schedule on a fake clock: jittered first slots, steady cadence, exponential backoff with a cap,
// bounded hand-out, and devices added/removed between windows.
import { describe, expect, it } from "vitest";
import { backoffDelayMs, Schedule } from "./schedule";

/** Deterministic "random" numbers cycling through the given values. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe("backoffDelayMs", () => {
  it("doubles per consecutive failure from the interval and stops at the cap", () => {
    expect([0, 1, 2, 3, 4].map((f) => backoffDelayMs(f, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(backoffDelayMs(60, 15_000)).toBe(300_000);
  });
});

describe("Schedule", () => {
  it("spreads new devices over one interval", () => {
    const s = new Schedule({ intervalMs: 1000, random: sequence(0, 0.25, 0.5, 0.75) });
    s.sync(["a", "b", "c", "d"], 10_000);
    expect(["a", "b", "c", "d"].map((id) => s.get(id)!.dueAt)).toEqual([10_000, 10_250, 10_500, 10_750]);
  });

  it("hands out only due devices, most overdue first, at most `limit`, never one already in flight", () => {
    const s = new Schedule({ intervalMs: 1000, random: sequence(0.9, 0.1, 0.5) });
    s.sync(["a", "b", "c"], 0); // due at 900, 100, 500
    expect(s.takeDue(50, 10)).toEqual([]);
    expect(s.takeDue(600, 1).map((x) => x.id)).toEqual(["b"]);
    expect(s.takeDue(600, 5).map((x) => x.id)).toEqual(["c"]);
    expect(s.nextDueAt()).toBe(900);
    expect(s.takeDue(1000, 5).map((x) => x.id)).toEqual(["a"]);
    expect(s.nextDueAt()).toBeNull();
  });

  it("keeps a healthy device on its cadence (due + interval ± jitter), not drifting by its own latency", () => {
    const s = new Schedule({ intervalMs: 1000, jitter: 0.1, random: sequence(0, 0.5, 1) });
    s.sync(["a"], 0); // random 0 → due at 0
    s.takeDue(0, 1);
    s.complete("a", true, 300); // random 0.5 → no jitter
    expect(s.get("a")!.dueAt).toBe(1000);
    s.takeDue(1000, 1);
    s.complete("a", true, 1200); // random 1 → +10 %
    expect(s.get("a")!.dueAt).toBe(2100);
  });

  it("backs off exponentially while a device fails and resumes the interval when it answers", () => {
    const s = new Schedule({ intervalMs: 1000, jitter: 0, maxBackoffMs: 5000, random: () => 0 });
    s.sync(["x"], 0);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 5; i++) {
      s.takeDue(now, 1);
      const slot = s.complete("x", false, now)!;
      delays.push(slot.dueAt - now);
      now = slot.dueAt;
    }
    expect(delays).toEqual([2000, 4000, 5000, 5000, 5000]);
    expect(s.get("x")!.failures).toBe(5);
    s.takeDue(now, 1);
    s.complete("x", true, now);
    expect(s.get("x")).toMatchObject({ failures: 0, dueAt: now + 1000 });
  });

  it("forgets the ETag after a failure so the next poll gets a full status", () => {
    const s = new Schedule({ intervalMs: 1000, random: () => 0 });
    s.sync(["a"], 0);
    s.takeDue(0, 1);
    s.complete("a", true, 0, '"7"');
    expect(s.get("a")!.etag).toBe('"7"');
    s.takeDue(1000, 1);
    s.complete("a", false, 1000);
    expect(s.get("a")!.etag).toBeNull();
  });

  it("sync adds new devices and drops removed ones; a poll finishing for a removed device is ignored", () => {
    const s = new Schedule({ intervalMs: 1000, random: () => 0 });
    s.sync(["a", "b"], 0);
    s.takeDue(0, 2);
    expect(s.sync(["b", "c"], 500)).toEqual({ added: ["c"], removed: ["a"] });
    expect(s.complete("a", true, 600)).toBeUndefined();
    expect(s.size).toBe(2);
  });

  it("hands 1,000 devices out in due order across rounds (heap order, no device twice, none lost)", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const s = new Schedule({ intervalMs: 1000, random });
    s.sync(Array.from({ length: 1000 }, (_, i) => `d${i}`), 0);
    const first = s.takeDue(1000, 400);
    const rest = s.takeDue(1000, 1000);
    const dues = [...first, ...rest].map((x) => x.dueAt);
    expect(dues).toHaveLength(1000);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(new Set([...first, ...rest].map((x) => x.id)).size).toBe(1000);
    // Completed ones come back (never due in the past); the 600 still in flight are never handed out twice.
    for (const x of first) s.complete(x.id, true, 1000);
    const firstIds = new Set(first.map((x) => x.id));
    const again = s.takeDue(5000, 1000);
    expect(again).toHaveLength(400);
    expect(again.every((x) => firstIds.has(x.id) && x.dueAt >= 1000)).toBe(true);
    expect(s.nextDueAt()).toBeNull();
  });
});

describe("Schedule with a phase (sharded polling)", () => {
  const phases: Record<string, number> = { a: 0.25, b: 0.9 };
  const make = () => new Schedule({ intervalMs: 1000, phase: (id) => phases[id] });

  it("puts each device at its own place on the wall clock, whenever it is added", () => {
    const s = make();
    s.sync(["a", "b"], 10_500);
    expect(s.get("a")!.dueAt).toBe(11_250); // 10_250 has passed: the next one
    expect(s.get("b")!.dueAt).toBe(10_900);
    // Another process taking "a" over at another moment gets the same cadence.
    const t = make();
    t.sync(["a"], 12_100);
    expect(t.get("a")!.dueAt).toBe(12_250);
  });

  it("keeps the cadence after late and early polls: once per interval, never twice", () => {
    const s = make();
    s.sync(["a"], 10_000);
    s.takeDue(10_250, 1);
    expect(s.complete("a", true, 10_700)!.dueAt).toBe(11_250); // late: still the next place, not 10_700 + 1000
    s.takeDue(11_250, 1);
    expect(s.complete("a", true, 11_251)!.dueAt).toBe(12_250);
  });
});
