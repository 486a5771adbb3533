import { describe, expect, it } from "vitest";
import { createBatcher, serverRejected } from "./batch";

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A batcher whose groups are recorded; each group takes a tick, like a statement in flight. */
function recorded<I>(options: Parameters<typeof createBatcher<I, I>>[1] = {}, fail?: (items: I[]) => Error | null) {
  const groups: I[][] = [];
  const run = createBatcher(async (items: I[]) => {
    groups.push(items);
    await tick();
    const err = fail?.(items);
    if (err) throw err;
    return items;
  }, options);
  return { groups, run };
}

describe("createBatcher (group commit of one statement kind)", () => {
  it("sends a lone call at once and the calls that arrive meanwhile together in the next group", async () => {
    const groups: number[][] = [];
    const run = createBatcher(async (items: number[]) => {
      groups.push(items);
      await tick();
      return items.map((i) => i * 10);
    });
    const first = run(1);
    const rest = [run(2), run(3), run(4)];
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it("never puts two calls with the same key in one group, and caps the group size", async () => {
    const { groups, run } = recorded<string>({ key: (s) => s.slice(0, 1), max: 2 });
    await Promise.all(["a1", "a2", "b1", "c1"].map(run));
    // a1 alone (sent at once), then a2+b1 (max 2), then c1.
    expect(groups).toEqual([["a1"], ["a2", "b1"], ["c1"]]);
    groups.length = 0;
    await Promise.all([run("x0"), run("y1"), run("y2"), run("z1")]);
    expect(groups).toEqual([["x0"], ["y1", "z1"], ["y2"]]);
  });

  it("a failed group is run again call by call when allowed, so only the failing call fails", async () => {
    const { groups, run } = recorded<number>({ retryAlone: serverRejected }, (items) =>
      items.includes(3) ? Object.assign(new Error("bad"), { severity: "ERROR", code: "22P02" }) : null,
    );
    const results = await Promise.allSettled([run(1), run(2), run(3), run(4)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(groups).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it("a failure that may have written (no server error) fails the whole group, not retried", async () => {
    const { groups, run } = recorded<number>({ retryAlone: serverRejected }, (items) =>
      items.length > 1 ? Object.assign(new Error("Connection terminated unexpectedly"), { code: "EPIPE" }) : null,
    );
    const results = await Promise.allSettled([run(1), run(2), run(3)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it("serverRejected: a PostgreSQL ErrorResponse, also wrapped by drizzle in `cause`", () => {
    const pgError = Object.assign(new Error("deadlock detected"), { severity: "ERROR", code: "40P01" });
    expect(serverRejected(pgError)).toBe(true);
    expect(serverRejected(Object.assign(new Error("Failed query"), { cause: pgError }))).toBe(true);
    expect(serverRejected(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(false);
    expect(serverRejected(new Error("x"))).toBe(false);
  });
});
