// The shard arithmetic (the processes side is exercised by tests/workers/sharding.test.ts).
import { describe, expect, it } from "vitest";
import { applicationName, parseApplicationName, type LiveProcess } from "@/lib/db/presence";
import { rankOf, shardOf, shardsOfRank } from "./shards";

const proc = (pid: number, since: string, poller = true): LiveProcess => ({ kind: "worker", pid, host: "h", poller, jobs: true, startedAt: Date.parse(since), since });

describe("shards", () => {
  it("gives every device id one stable shard, spread evenly", () => {
    const ids = Array.from({ length: 3200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const counts = new Array(32).fill(0);
    for (const id of ids) counts[shardOf(id, 32)] += 1;
    expect(shardOf(ids[7], 32)).toBe(shardOf(ids[7], 32));
    expect(Math.min(...counts)).toBeGreaterThan(50); // 100 each on average
    expect(Math.max(...counts)).toBeLessThan(150);
  });

  it("deals the shards out among the pollers: each exactly once, shares differ by at most one", () => {
    const shares = [0, 1, 2].map((r) => shardsOfRank(32, r, 3));
    expect(shares.map((s) => s.size)).toEqual([11, 11, 10]);
    const all = shares.flatMap((s) => [...s]).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(shardsOfRank(32, 0, 1).size).toBe(32);
  });

  it("ranks the live pollers oldest first and leaves out processes that do not poll", () => {
    const live = [proc(30, "2026-12-01T10:00:02Z"), proc(10, "2026-12-01T10:00:01Z"), proc(20, "2026-12-01T10:00:00Z", false)];
    expect(rankOf(live, { pid: 10, host: "h" })).toEqual({ rank: 0, pollers: 2 });
    expect(rankOf(live, { pid: 30, host: "h" })).toEqual({ rank: 1, pollers: 2 });
    expect(rankOf(live, { pid: 20, host: "h" })).toBeNull();
    // The oldest one dies: the other now holds every shard.
    expect(rankOf(live.slice(0, 1), { pid: 30, host: "h" })).toEqual({ rank: 0, pollers: 1 });
  });

  it("orders by the start time carried in the connection tag, which a reconnecting pool does not change", () => {
    const tag = { kind: "worker" as const, pid: 4242, host: "db-host.example", poller: true, jobs: false, startedAt: Date.parse("2026-12-01T10:00:00.123Z") };
    const name = applicationName(tag);
    expect(name).toBe(`sap/worker/4242/p-/${tag.startedAt.toString(36)}/db-host.example`);
    expect(parseApplicationName(name)).toEqual(tag);
    expect(parseApplicationName("sap/web/1/pj/db-host")).toBeNull(); // the tag without a start time is not ours
    expect(applicationName({ ...tag, host: "h".repeat(80) }).length).toBe(63);
  });
});
