import { handler, reply } from "@/lib/api/handler";
import { pollerHealthSchema } from "@/lib/poller/schemas";
import { env } from "@/lib/env";
import { getPoller } from "@/lib/poller";

export const dynamic = "force-dynamic";

/** Poller health: last window's duration, polls/s, lag and errors; totals since start. */
export const GET = handler(async () => {
  const poller = getPoller();
  if (!poller) return reply(pollerHealthSchema, { running: false, reason: env().POLLER === "off" ? "disabled (POLLER=off)" : "not started" });
  return reply(pollerHealthSchema, poller.health());
});
