import { describe, expect, it } from "vitest";
import { relativeTime } from "./format";

describe("relativeTime", () => {
  const now = Date.parse("2026-11-28T10:00:00Z");
  const at = (deltaS: number) => new Date(now + deltaS * 1000).toISOString();

  it("says how long ago a past moment was", () => {
    expect(relativeTime(at(-2), now)).toBe("just now");
    expect(relativeTime(at(-52), now)).toBe("52 sec. ago");
    expect(relativeTime(at(-3 * 60 - 10), now)).toBe("3 min. ago");
    expect(relativeTime(at(-2 * 86_400), now)).toBe("2 days ago");
  });

  it("says how far away a future moment is (a binding's expiry), not 'just now'", () => {
    expect(relativeTime(at(59 * 60), now)).toBe("in 59 min.");
    expect(relativeTime(at(2 * 3600 + 5), now)).toBe("in 2 hr.");
  });
});
