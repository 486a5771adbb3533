// Stored fleet counts (table status_samples): one row per sample interval, read back as bucket means per range.
import "server-only";
import { asc, gte, lt, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { statusSamples } from "@/lib/db/schema";
import { statusCounts } from "@/lib/poller/store";
import { TREND_BUCKET_S, TREND_COUNTS, TREND_RANGE_S, type TrendRange, type TrendReply } from "./schemas";

/** The start of the sample interval `now` is in: the row's key, the same in every process. */
export const sampleSlot = (now: Date, intervalS: number): Date => new Date(Math.floor(now.getTime() / (intervalS * 1000)) * intervalS * 1000);

/** Stores the fleet's current counts for `now`'s interval; false when another process already did. */
export async function takeSample(db: Db, now: Date, intervalS: number): Promise<boolean> {
  const counts = await statusCounts(db);
  const rows = await db
    .insert(statusSamples)
    .values({ at: sampleSlot(now, intervalS), ...counts })
    .onConflictDoNothing()
    .returning({ at: statusSamples.at });
  return rows.length > 0;
}

/** Deletes samples older than `before`; returns how many. */
export async function pruneSamples(db: Db, before: Date): Promise<number> {
  const deleted = await db.delete(statusSamples).where(lt(statusSamples.at, before)).returning({ at: statusSamples.at });
  return deleted.length;
}

/** The range ending at `now`, one point per bucket with samples (the mean of its samples, 2 decimals). */
export async function readTrend(db: Db, range: TrendRange, now: Date, sampleIntervalS: number): Promise<TrendReply> {
  const bucketS = Math.max(TREND_BUCKET_S[range], Math.ceil(sampleIntervalS));
  const from = new Date(now.getTime() - TREND_RANGE_S[range] * 1000);
  // Inlined (an integer computed here): as a bound parameter the select's and the group by's would differ to PostgreSQL.
  const b = sql.raw(String(Math.trunc(bucketS)));
  const bucket = sql<string>`to_timestamp(floor(extract(epoch from ${statusSamples.at}) / ${b}) * ${b})`;
  const means = Object.fromEntries(
    TREND_COUNTS.map((k) => [k, sql<string>`round(avg(${statusSamples[k]}), 2)`]),
  ) as Record<(typeof TREND_COUNTS)[number], ReturnType<typeof sql<string>>>;
  const rows = await db
    .select({ at: bucket, samples: sql<number>`count(*)::int`, ...means })
    .from(statusSamples)
    .where(gte(statusSamples.at, from))
    .groupBy(bucket)
    .orderBy(asc(bucket));
  return {
    range,
    from: from.toISOString(),
    to: now.toISOString(),
    bucketS,
    sampleIntervalS,
    points: rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      samples: r.samples,
      ...(Object.fromEntries(TREND_COUNTS.map((k) => [k, Number(r[k])])) as Record<(typeof TREND_COUNTS)[number], number>),
    })),
  };
}
