import { handler, reply } from "@/lib/api/handler";
import { statusSummarySchema } from "@/lib/poller/schemas";
import { getDb } from "@/lib/db";
import { getPoller, statusCounts } from "@/lib/poller";

export const dynamic = "force-dynamic";

/** Fleet counts by registration state and their recent trend (one sample per poll window, in memory). */
export const GET = handler(async () => {
  const poller = getPoller();
  return reply(statusSummarySchema, {
    counts: await statusCounts(await getDb()),
    trend: poller?.trend() ?? [],
    intervalS: poller?.intervalS ?? null,
  });
});
