// Events across processes: every portal process (web or `npm run worker`) on one database LISTENs on one channel
// and NOTIFYs what it publishes, so a status change found by a worker reaches the SSE streams of every web process.
// One dedicated connection per process does both (NOTIFY from a listening connection is fine). A lost connection
// is re-opened with backoff; events published meanwhile stay local (browsers refetch their snapshot on reconnect).
// No `server-only`: vitest loads it directly.
import { randomUUID } from "node:crypto";
import type { Client as PgClient } from "pg";
import type { EventBus, Topic } from "./bus";

export const EVENT_CHANNEL = "sap_events";
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD = 7_900;

export interface EventRelay {
  readonly name: string;
  /** Resolves once LISTEN is in place (events from others arrive from then on). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

interface Envelope {
  /** Origin process: its own notifications come back to it and are dropped. */
  o: string;
  t: Topic;
  e: unknown;
}

export function startEventRelay(bus: EventBus, url: string, opts: { applicationName?: string; log?: (msg: string) => void } = {}): EventRelay {
  const origin = randomUUID();
  const log = opts.log ?? ((m: string) => console.warn(m));
  let client: PgClient | null = null;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = async (): Promise<void> => {
    const { Client } = await import("pg");
    const c = new Client({ connectionString: url, application_name: opts.applicationName });
    c.on("error", (err) => {
      log(`event relay: connection lost (${err.message}); reconnecting`);
      reconnect(c);
    });
    c.on("end", () => reconnect(c));
    c.on("notification", (msg) => {
      if (msg.channel !== EVENT_CHANNEL || !msg.payload) return;
      try {
        const env = JSON.parse(msg.payload) as Envelope;
        if (env.o !== origin) bus.deliver(env.t, env.e);
      } catch {
        /* not ours */
      }
    });
    await c.connect();
    await c.query(`LISTEN ${EVENT_CHANNEL}`);
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    retryMs = 500;
    markReady();
  };

  const reconnect = (c: PgClient) => {
    if (client !== c && client !== null) return;
    client = null;
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      connect().catch((err) => {
        log(`event relay: reconnect failed (${(err as Error).message})`);
        retryMs = Math.min(retryMs * 2, 10_000);
        reconnect(c);
      });
    }, retryMs);
    timer.unref();
  };

  bus.setRelay((topic, event) => {
    const c = client;
    if (!c) return;
    const payload = JSON.stringify({ o: origin, t: topic, e: event } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      log(`event relay: a ${topic} event of ${payload.length} bytes is too large for NOTIFY; delivered locally only`);
      return;
    }
    c.query("select pg_notify($1, $2)", [EVENT_CHANNEL, payload]).catch((err: Error) => log(`event relay: NOTIFY failed (${err.message})`));
  });

  connect().catch((err) => {
    log(`event relay: could not connect (${(err as Error).message}); retrying`);
    reconnect(null as unknown as PgClient);
  });

  return {
    name: "event relay",
    ready,
    async stop() {
      stopped = true;
      bus.setRelay(null);
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
