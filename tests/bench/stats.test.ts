// The benchmarks' own pure helpers (bench/support/stats.ts): percentiles, ratios to a ceiling, the JSON document.
// No timing here: speed is measured by `npm run bench`, never asserted in tests.
import { describe, expect, it } from "vitest";
import { benchResult, percentile, perSecond, ratio, type PushFigures, type ScaleFigures } from "@/bench/support/stats";

describe("percentile", () => {
  it("is the nearest rank, whatever the input order", () => {
    const values = [9, 1, 5, 3, 7, 2, 8, 4, 10, 6];
    expect(percentile(values, 0.5)).toBe(5);
    expect(percentile(values, 0.95)).toBe(10);
    expect(percentile(values, 0.99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 0.1)).toBe(1);
    expect(percentile(values, 0.11)).toBe(2);
    expect(values[0]).toBe(9); // not sorted in place
  });
  it("is null without values and refuses q outside 0..1", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(() => percentile([1], 95)).toThrow(/0\.\.1/);
  });
});

describe("ratio to the ceiling", () => {
  it("divides rates by the ceiling and the ceiling by times, capped at 1", () => {
    expect(ratio(7_493, 10_553, true)).toBe(0.71);
    expect(ratio(12, 10, true)).toBe(1);
    expect(ratio(21.8, 2.3, false)).toBe(0.106);
    expect(ratio(1, 2, false)).toBe(1);
    expect(ratio(0, 5, false)).toBe(1);
  });
  it("is null when a side is missing or the ceiling is not positive", () => {
    expect(ratio(null, 10, true)).toBeNull();
    expect(ratio(5, null, false)).toBeNull();
    expect(ratio(5, 0, true)).toBeNull();
    expect(ratio(Number.NaN, 3, true)).toBeNull();
  });
  it("perSecond is count over milliseconds", () => {
    expect(perSecond(500, 2_000)).toBe(250);
    expect(perSecond(5, 0)).toBe(0);
  });
});

describe("the JSON document", () => {
  const size = (devices: number, pollRate: number): ScaleFigures => ({
    devices, engine: "PostgreSQL 15.18 (embedded)", intervalS: 15, concurrency: 64, pollRate, rawRate: pollRate * 2, pollRatio: 0.5,
    pollNeeded: Math.round(devices / 15), pollCpuUs: 200, rawCpuUs: 100, pollCpuRatio: 0.5, scheduleLagAvgMs: 10, scheduleLagMaxMs: 50, statusLagP99Ms: 14_000, statusLagP50Ms: 7_000,
    statusLagCeilingMs: 5, statusLagRatio: 0, sseP95Ms: 13_500, sseRatio: 0, lagChanges: 200, lagSamples: 200, sseSamples: 200, portalRssMb: 300, emulatorRssMb: 500, errors: {},
  });
  const push: PushFigures = { pushDevices: 1000, pushConcurrency: 16, pushSeconds: 8, pushRawSeconds: 2, pushRatio: 0.25, pushApplied: 1000, pushFailed: 0, pushStatementsPerTarget: 4 };
  const base = { generatedAt: "2026-12-02T00:00:00.000Z", quick: false, command: "npm run bench", pinning: "x", machine: { nproc: 2, memTotalMb: 1, cpuModel: "c", node: "v20", loadAvgBefore: [1], loadAvgAfter: [2] } };

  it("carries the issue's keys, headline figures from the largest fleet, sizes ascending", () => {
    const r = benchResult(base, [size(10_000, 900), size(1_000, 7_000)], push);
    expect(r).toMatchObject({ devices: 10_000, engine: "PostgreSQL 15.18 (embedded)", pollRate: 900, pollRatio: 0.5, statusLagP99Ms: 14_000, sseP95Ms: 13_500, portalRssMb: 300, push1000Seconds: 8, pushRatio: 0.25 });
    expect(r.sizes.map((s) => s.devices)).toEqual([1_000, 10_000]);
    for (const key of ["devices", "engine", "pollRate", "pollRatio", "statusLagP99Ms", "sseP95Ms", "portalRssMb", "push1000Seconds", "pushRatio"]) expect(r).toHaveProperty(key);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
  it("push1000Seconds stays null when the push ran on another fleet size (--quick)", () => {
    expect(benchResult(base, [size(1_000, 7_000)], { ...push, pushDevices: 100 }).push1000Seconds).toBeNull();
    expect(benchResult(base, [size(1_000, 7_000)], null)).toMatchObject({ push1000Seconds: null, pushRatio: null, push: null });
  });
  it("refuses an empty run", () => {
    expect(() => benchResult(base, [], push)).toThrow(/no fleet size/);
  });
});
