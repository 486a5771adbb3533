// The app's one connection pool for device traffic: at most DEVICE_CONNECTIONS keep-alive undici Clients per phone,
// however many pushes/polls target it at once.
//
// Why not undici's Agent (a Pool per origin): the Agent closes and forgets an origin's Pool as soon as its last
// socket disconnects. Phones close idle sockets within seconds and the poller comes back every 15 s, so with 10,000
// phones every poll built a new Pool and Client and destroyed them again (a ClientDestroyedError with its stack each
// time), and every Pool carries a 2,048-slot queue (16 KB) — 10,000 phones held 160 MB of empty queues. Here a
// phone's Clients outlive their sockets (they reconnect on the next request) and queue requests themselves; a phone
// nobody asked anything for IDLE_POOL_MS (deleted, or backed off longer than the poller's 5-minute ceiling) is closed.
// Measured in BENCHMARKS.md.
import { Client, Dispatcher, buildConnector } from "undici";
import { MAX_STATUS_WAIT_S } from "./limits";
import { resolveAllowed } from "./networks";

/** Per device: one for a long-poll of the status, one for config calls next to it. */
export const DEVICE_CONNECTIONS = 2;
/** Longest status long-poll plus slack; the per-request deadline is stricter. */
const HEADERS_TIMEOUT_MS = (MAX_STATUS_WAIT_S + 15) * 1000;
/** A phone's Clients unused this long are closed (longer than the poller's backoff ceiling, 5 min). */
export const IDLE_POOL_MS = 10 * 60_000;

export type DeviceDispatcherOptions = Client.Options & {
  /** Clients (sockets) per phone. */
  connections?: number;
  idlePoolMs?: number;
};

interface Origin {
  clients: Client[];
  usedAt: number;
}

/** Up to `connections` Clients per origin, kept across socket closes; idle origins swept. */
export class DevicePools extends Dispatcher {
  private readonly origins = new Map<string, Origin>();
  private readonly options: Client.Options;
  private readonly connections: number;
  private readonly idlePoolMs: number;
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;

  constructor({ idlePoolMs = IDLE_POOL_MS, connections = DEVICE_CONNECTIONS, ...options }: DeviceDispatcherOptions = {}) {
    super();
    if (!Number.isInteger(connections) || connections < 1) throw new Error(`connections must be a whole number ≥ 1, got ${connections}`);
    this.options = options;
    this.connections = connections;
    this.idlePoolMs = idlePoolMs;
  }

  /** Phones with Clients held (tests, benchmarks). */
  get size(): number {
    return this.origins.size;
  }

  dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.closed) throw new Error("the device dispatcher is closed");
    const key = String(opts.origin);
    let origin = this.origins.get(key);
    if (!origin) {
      origin = { clients: [], usedAt: 0 };
      this.origins.set(key, origin);
      this.sweeper ??= setInterval(() => this.sweep(Date.now()), Math.min(60_000, this.idlePoolMs)).unref();
    }
    origin.usedAt = Date.now();
    return this.pick(key, origin).dispatch(opts, handler);
  }

  /** An idle Client of the phone, else a new one while under the limit, else the least busy (it queues). */
  private pick(key: string, origin: Origin): Client {
    let least: Client | null = null;
    let leastSize = Infinity;
    for (const client of origin.clients) {
      const size = client.stats.size;
      if (size === 0) return client;
      if (size < leastSize) [least, leastSize] = [client, size];
    }
    if (least && origin.clients.length >= this.connections) return least;
    const client = new Client(key, this.options);
    // As undici's Pool and Agent do: a Client whose connect failed is not reused (it fails its queued requests).
    client.on("connectionError", () => {
      origin.clients = origin.clients.filter((c) => c !== client);
      if (!client.destroyed) void client.close().catch(() => {});
    });
    origin.clients.push(client);
    return client;
  }

  /** Closes the Clients of phones idle since before `now - idlePoolMs` with nothing in flight. */
  sweep(now: number): void {
    for (const [key, origin] of this.origins) {
      if (now - origin.usedAt < this.idlePoolMs || origin.clients.some((c) => c.stats.size > 0)) continue;
      this.origins.delete(key);
      for (const c of origin.clients) void c.close().catch(() => {});
    }
  }

  private settle(work: (client: Client) => Promise<void>): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const clients = [...this.origins.values()].flatMap((o) => o.clients);
    this.origins.clear();
    return Promise.all(clients.map((c) => work(c).catch(() => {}))).then(() => {});
  }

  close(callback: () => void): void;
  close(): Promise<void>;
  close(callback?: () => void): Promise<void> | void {
    const done = this.settle((c) => c.close());
    if (!callback) return done;
    void done.then(callback);
  }

  destroy(err: Error | null, callback: () => void): void;
  destroy(callback: () => void): void;
  destroy(err: Error | null): Promise<void>;
  destroy(): Promise<void>;
  destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === "function" ? null : (a ?? null);
    const callback = typeof a === "function" ? a : b;
    const done = this.settle((c) => c.destroy(err));
    if (!callback) return done;
    void done.then(callback);
  }
}

export function createDeviceDispatcher(options: DeviceDispatcherOptions = {}): DevicePools {
  const connect = buildConnector({ timeout: 5_000 });
  return new DevicePools({
    connections: DEVICE_CONNECTIONS,
    // Phones close idle sockets after a while; reuse only recently used ones to avoid racing their close.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: 30_000,
    // Every socket to a phone goes to an address inside DEVICE_NETWORKS (lib/device/networks.ts): the host is
    // resolved here once and that address is connected to.
    connect: (opts, callback) =>
      resolveAllowed(opts.hostname, (err, address) => (err ? callback(err, null) : connect({ ...opts, hostname: address! }, callback))),
    ...options,
  });
}

let shared: DevicePools | null = null;

/** The module-level dispatcher used when a client is created without its own. */
export function sharedDeviceDispatcher(): Dispatcher {
  shared ??= createDeviceDispatcher();
  return shared;
}

/** Closes the shared pool (shutdown, tests). Clients created afterwards open a new one. */
export async function closeDeviceClients(): Promise<void> {
  const pools = shared;
  shared = null;
  await pools?.close();
}
