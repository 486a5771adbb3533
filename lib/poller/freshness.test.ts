import { describe, expect, it } from "vitest";
import { defaultHoldS, lastAnswerIso, staleAfterSeconds } from "./freshness";

describe("freshness threshold", () => {
  it("is two answer periods plus the one window a stored answer time may lag", () => {
    expect(staleAfterSeconds(15, defaultHoldS(15))).toBe(45); // defaults: 2 × 15 + 15
    expect(staleAfterSeconds(2, defaultHoldS(2))).toBe(6); // the e2e run
    // Held on a 30 s long-poll, an unchanged phone answers every 30 s: not stale after 9 s.
    expect(staleAfterSeconds(3, 30)).toBe(63);
    // No long-poll (POLL_WAIT_S=0): the interval alone.
    expect(staleAfterSeconds(15, 0)).toBe(45);
    // Sub-second intervals (benchmarks): windows are never shorter than a second.
    expect(staleAfterSeconds(0.5, defaultHoldS(0.5))).toBe(3);
  });

  it("takes this process's answer from memory only when it is newer than the stored one", () => {
    const stored = "2026-12-02T15:00:00.000Z";
    expect(lastAnswerIso(stored, new Date("2026-12-02T15:00:07.000Z"))).toBe("2026-12-02T15:00:07.000Z");
    expect(lastAnswerIso(stored, new Date("2026-12-02T14:59:00.000Z"))).toBe(stored);
    expect(lastAnswerIso(stored, undefined)).toBe(stored);
    expect(lastAnswerIso(null, new Date(stored))).toBe(stored);
    expect(lastAnswerIso(null, undefined)).toBeNull();
  });
});
