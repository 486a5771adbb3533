// The dashboard trend's vocabulary and reply shape: ranges, the point shape, the query. Pure zod (the browser
// parses the reply with the same schema).
import { z } from "zod";

export const TREND_RANGES = ["1h", "24h", "7d"] as const;
export const trendRangeSchema = z.enum(TREND_RANGES, { error: 'range must be "1h", "24h" or "7d"' });
export type TrendRange = z.infer<typeof trendRangeSchema>;

export const TREND_RANGE_S: Record<TrendRange, number> = { "1h": 3_600, "24h": 86_400, "7d": 7 * 86_400 };
/** One point per this many seconds (at least the sample interval): 60, 96 and 168 points. */
export const TREND_BUCKET_S: Record<TrendRange, number> = { "1h": 60, "24h": 900, "7d": 3_600 };

/** The counts a sample stores (lib/poller StatusCounts). */
export const TREND_COUNTS = ["registeredPrimary", "registeredRedundant", "registering", "unregistered", "failed", "unreachable", "unknown", "total"] as const;
export type TrendCount = (typeof TREND_COUNTS)[number];

export const trendQuerySchema = z.object({ range: trendRangeSchema.default("1h") });

const count = z.number().nonnegative();
export const trendPointSchema = z
  .object({
    at: z.iso.datetime().meta({ description: "Start of the bucket" }),
    samples: z.number().int().positive().meta({ description: "How many stored samples the bucket's values average" }),
    ...Object.fromEntries(TREND_COUNTS.map((k) => [k, count])),
  } as { at: z.ZodISODateTime; samples: z.ZodNumber } & Record<TrendCount, typeof count>)
  .meta({ id: "TrendPoint" });
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const trendReplySchema = z
  .object({
    range: trendRangeSchema,
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucketS: z.number().int().positive().meta({ description: "Each point averages the samples of one bucket this long" }),
    sampleIntervalS: z.number().positive().meta({ description: "How often the portal stores the fleet's counts" }),
    points: z.array(trendPointSchema).meta({ description: "Oldest first; buckets without a sample (the portal was down) are absent" }),
  })
  .meta({ id: "Trend" });
export type TrendReply = z.infer<typeof trendReplySchema>;
