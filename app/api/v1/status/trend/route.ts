import { handler, parseWith, reply } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { readTrend, trendQuerySchema, trendReplySchema, trendSettings } from "@/lib/trend";

export const dynamic = "force-dynamic";

/** The fleet's stored counts over 1 h, 24 h or 7 d (lib/trend): one point per bucket, the mean of its samples. */
export const GET = handler(async (req) => {
  const { range } = parseWith(trendQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  return reply(trendReplySchema, await readTrend(await getDb(), range, new Date(), trendSettings().intervalS));
});
