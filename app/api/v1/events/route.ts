// Server-Sent Events: registration changes (`status`), job progress (`job`) and proxy probes (`proxy`) as they are published on the
// in-process bus. Nothing heavy on connect: the page loads its snapshot over REST and refetches after a reconnect.
import { handler } from "@/lib/api/handler";
import { eventBus, type Topic } from "@/lib/events";
import { onDrain } from "@/lib/lifecycle/drain";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
/** How long the browser waits before reconnecting after the stream drops. */
const RETRY_MS = 2_000;
const TOPICS: Topic[] = ["status", "job", "proxy"];

export const GET = handler(async (req) => {
  const bus = eventBus();
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup(); // the browser went away between two events
        }
      };
      const unsubscribe = TOPICS.map((topic) => bus.subscribe(topic, (event) => send(`event: ${topic}\ndata: ${JSON.stringify(event)}\n\n`)));
      // Comments keep proxies and the browser from timing the idle stream out.
      const heartbeat = setInterval(() => send(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        for (const off of unsubscribe) off();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      req.signal.addEventListener("abort", () => cleanup(), { once: true });
      // Shutdown: end the stream (the browser reconnects to another process, or to this one once it is back).
      const offDrain = onDrain(() => cleanup());
      const close = cleanup;
      cleanup = () => (offDrain(), close());
      send(`retry: ${RETRY_MS}\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
