import { handler, json } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { getPoller, statusCounts } from "@/lib/poller";

export const dynamic = "force-dynamic";

/** Fleet counts by registration state and their recent trend (one sample per poll window, in memory). */
export const GET = handler(async () => {
  const poller = getPoller();
  return json({
    counts: await statusCounts(await getDb()),
    trend: poller?.trend() ?? [],
    intervalS: poller?.intervalS ?? null,
  });
});
