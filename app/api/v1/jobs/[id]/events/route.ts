// Server-sent events for one job's progress: an initial `job` event with the current counts, then one per
// change (throttled by the runner). The page falls back to polling the job JSON if the stream breaks.
import { handler } from "@/lib/api/handler";
import { eventBus, type JobEvent } from "@/lib/events";
import { getJob } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const GET = handler<{ id: string }>(async (req, ctx) => {
  const job = await getJob(ctx.params.id);
  const enc = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (e: JobEvent) => {
        try {
          controller.enqueue(enc.encode(`event: job\ndata: ${JSON.stringify(e)}\n\n`));
        } catch {
          cleanup();
        }
      };
      const c = job.counts;
      send({ jobId: job.id, state: job.state, done: c.applied + c.failed + c.skipped + c.cancelled, total: c.total, counts: c });
      const unsubscribe = eventBus().subscribe("job", (e) => {
        if (e.jobId === job.id) send(e);
      });
      // Comments keep proxies from closing an idle stream.
      const ping = setInterval(() => {
        try {
          controller.enqueue(enc.encode(": ping\n\n"));
        } catch {
          cleanup();
        }
      }, 15_000);
      cleanup = () => {
        clearInterval(ping);
        unsubscribe();
      };
      req.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" } });
});
