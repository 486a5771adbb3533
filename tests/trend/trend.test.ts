// The dashboard trend against a real PostgreSQL: the sampler stores the fleet's counts (one row per interval even
// when two processes sample), the stored samples are read back per range as bucket means (so they survive a
// restart: nothing is in memory), old samples are pruned, and GET /status/trend validates its range.
import { beforeAll, describe, expect, it } from "vitest";
import * as trend from "@/app/api/v1/status/trend/route";
import { getDb } from "@/lib/db";
import { statusSamples } from "@/lib/db/schema";
import { createDevice } from "@/lib/inventory/devices";
import { writeDecision } from "@/lib/poller/store";
import { decideTransition, type PollOutcome } from "@/lib/poller/transition";
import { pruneSamples, readTrend, takeSample, TrendSampler, trendReplySchema } from "@/lib/trend";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const ids: string[] = [];
const T0 = Date.parse("2026-03-02T10:00:00.000Z");
const ka = { address: null, reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null };

async function setState(id: string, kind: "primary" | "redundant" | "unreachable", at: number) {
  const db = await getDb();
  const outcome: PollOutcome =
    kind === "unreachable"
      ? { kind: "error", code: "timeout", message: "no answer" }
      : {
          kind: "status",
          status: { state: "registered", proxy: kind, registrar: null, since: new Date(at).toISOString(), registeredAt: null, expiresAt: null, lastError: null, keepAlive: { primary: ka, redundant: ka }, transitions: [] },
        };
  await writeDecision(db, id, decideTransition(null, outcome, new Date(at)), new Date(at));
}

beforeAll(async () => {
  // 127.64.x: this suite's own range (nothing is contacted; the addresses only have to be unique).
  for (let i = 1; i <= 3; i++) ids.push((await createDevice({ name: `trend-${i}`, address: `127.64.3.${i}:8080` }, "test")).id);
  await setState(ids[0], "primary", T0);
  await setState(ids[1], "primary", T0);
  // ids[2]: never polled (unknown)
});

describe("stored trend samples", () => {
  it("a sample stores the fleet's counts once per interval, however many processes take it", async () => {
    const db = await getDb();
    expect(await takeSample(db, new Date(T0 + 5_000), 60)).toBe(true);
    // A second process in the same minute: no second row.
    expect(await takeSample(db, new Date(T0 + 59_000), 60)).toBe(false);
    const rows = await db.select().from(statusSamples);
    expect(rows).toEqual([
      { at: new Date(T0), registeredPrimary: 2, registeredRedundant: 0, registering: 0, unregistered: 0, failed: 0, unreachable: 0, unknown: 1, total: 3 },
    ]);
  });

  it("reads a range back as bucket means, oldest first, with gaps left out", async () => {
    const db = await getDb();
    // Minute 1: one phone failed over; minute 2: it is unreachable; then nothing for 10 minutes (portal down).
    await setState(ids[1], "redundant", T0 + 60_000);
    await takeSample(db, new Date(T0 + 60_000), 60);
    await setState(ids[1], "unreachable", T0 + 120_000);
    await takeSample(db, new Date(T0 + 120_000), 60);
    await takeSample(db, new Date(T0 + 720_000), 60);

    const hour = await readTrend(db, "1h", new Date(T0 + 750_000), 60);
    expect(trendReplySchema.parse(hour)).toEqual(hour);
    expect(hour).toMatchObject({ range: "1h", bucketS: 60, sampleIntervalS: 60, from: new Date(T0 + 750_000 - 3_600_000).toISOString() });
    expect(hour.points.map((p) => [p.at, p.registeredPrimary, p.registeredRedundant, p.unreachable])).toEqual([
      [new Date(T0).toISOString(), 2, 0, 0],
      [new Date(T0 + 60_000).toISOString(), 1, 1, 0],
      [new Date(T0 + 120_000).toISOString(), 1, 0, 1],
      [new Date(T0 + 720_000).toISOString(), 1, 0, 1],
    ]);

    // 24 h: 15-minute buckets; the first one averages the first three samples.
    const day = await readTrend(db, "24h", new Date(T0 + 750_000), 60);
    expect(day.bucketS).toBe(900);
    expect(day.points).toHaveLength(1);
    expect(day.points[0]).toMatchObject({ at: new Date(T0).toISOString(), samples: 4, registeredPrimary: 1.25, registeredRedundant: 0.25, unreachable: 0.5, total: 3 });

    // A range that ends before the samples sees none of them... and one that starts after them neither.
    expect((await readTrend(db, "1h", new Date(T0 + 3 * 3_600_000), 60)).points).toEqual([]);
    // A sample interval longer than the range's bucket widens the bucket.
    expect((await readTrend(db, "1h", new Date(T0 + 750_000), 300)).bucketS).toBe(300);
  });

  it("prunes samples older than the retention", async () => {
    const db = await getDb();
    await takeSample(db, new Date(T0 - 9 * 86_400_000), 60);
    expect(await pruneSamples(db, new Date(T0 - 8 * 86_400_000))).toBe(1);
    expect((await readTrend(db, "7d", new Date(T0 + 750_000), 60)).points.map((p) => p.samples)).toEqual([4]);
  });

  it("the sampler service writes the current interval's row", async () => {
    const db = await getDb();
    const sampler = new TrendSampler(() => ({ intervalS: 3_600, retentionDays: 8 }));
    await sampler.sampleNow();
    const slot = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    // The retention prune ran with it: the samples above (months before today) are gone, the new one is there.
    expect(await db.select().from(statusSamples)).toEqual([
      { at: slot, registeredPrimary: 1, registeredRedundant: 0, registering: 0, unregistered: 0, failed: 0, unreachable: 1, unknown: 1, total: 3 },
    ]);
  });
});

describe("GET /status/trend", () => {
  it("serves the stored range and refuses an unknown one", async () => {
    const r = await call(trend.GET, "GET", "/status/trend?range=7d", { token: f.viewer });
    expect(r.status).toBe(200);
    expect(trendReplySchema.parse(r.body)).toMatchObject({ range: "7d", bucketS: 3_600, points: [{ samples: 1, unreachable: 1 }] });
    expect((await call(trend.GET, "GET", "/status/trend", { token: f.viewer })).body.range).toBe("1h");
    const bad = await call(trend.GET, "GET", "/status/trend?range=30d", { token: f.viewer });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.range).toMatch(/"1h", "24h" or "7d"/);
    expect((await call(trend.GET, "GET", "/status/trend")).status).toBe(401);
  });
});
