import { describe, expect, it } from "vitest";
import { freshnessRefetchMs, isStale, newerIso } from "./freshness";

describe("freshness", () => {
  const now = Date.parse("2026-12-02T15:00:00Z");
  const ago = (s: number) => new Date(now - s * 1000).toISOString();

  it("is stale once the last answer is older than the server's threshold, or when none is recorded", () => {
    expect(isStale(ago(44), 45, now)).toBe(false);
    expect(isStale(ago(45), 45, now)).toBe(false);
    expect(isStale(ago(46), 45, now)).toBe(true);
    expect(isStale(ago(12 * 60), 45, now)).toBe(true);
    expect(isStale(null, 45, now)).toBe(true);
  });

  it("takes the later of the stored answer and the one a live event reported", () => {
    expect(newerIso(ago(30), ago(2))).toBe(ago(2));
    expect(newerIso(ago(2), ago(30))).toBe(ago(2));
    expect(newerIso(null, ago(5))).toBe(ago(5));
    expect(newerIso(ago(5), undefined)).toBe(ago(5));
    expect(newerIso(null, null)).toBeNull();
  });

  it("re-reads often enough that a healthy phone never looks stale (a quarter of the threshold, at least 1 s)", () => {
    expect(freshnessRefetchMs(45)).toBe(11_250);
    expect(freshnessRefetchMs(2)).toBe(1_000);
  });
});
