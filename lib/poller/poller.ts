// The status poller: one loop per process that keeps every device's registration status in device_status and
// status_events, polling with bounded concurrency on a jittered schedule (schedule.ts), deciding with the pure
// decideTransition (transition.ts), writing only changes and publishing them on the event bus.
//
// Why short conditional polls and not the device's long-poll (?wait=N): a long-poll holds one connection per
// device for its whole wait, so 10,000 devices would need 10,000 open sockets and the concurrency bound would
// mean nothing. A conditional GET (If-None-Match → 304) costs one short exchange, and the interval bounds the
// status lag. `longPollS` exists for small fleets that want changes within a second.
import "server-only";
import type { Dispatcher } from "undici";
import { logger } from "@/lib/api/logger";
import { decryptSecret } from "@/lib/crypto";
import { getDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { connectDevice, isDeviceError, type DeviceClient, type DeviceStatus } from "@/lib/device";
import { eventBus, type EventBus } from "@/lib/events";
import { configReader } from "@/lib/push/background";
import { shardOf, type ShardLease } from "./shards";
import { Schedule } from "./schedule";
import { countInto, emptyCounts, loadKnown, loadTargets, pruneEvents, writeDecision, type PollTarget, type StatusCounts } from "./store";
import { decideTransition, type Known, type PollOutcome } from "./transition";

export interface PollerOptions {
  /** Seconds between polls of one device (env POLL_INTERVAL_S, default 15). */
  intervalS?: number;
  /** Polls in flight at once (env POLL_CONCURRENCY, default 64). */
  concurrency?: number;
  /** Deadline of one status request. */
  timeoutMs?: number;
  /** Backoff ceiling for unreachable devices. */
  maxBackoffMs?: number;
  /** status_events older than this are deleted once an hour (env STATUS_RETENTION_DAYS, default 30). */
  retentionDays?: number;
  /** Use the device's long-poll with this wait (s); 0 = short conditional polls (default). */
  longPollS?: number;
  db?: () => Promise<Db>;
  bus?: EventBus;
  dispatcher?: Dispatcher;
  /** Injectable for tests of the jitter. */
  random?: () => number;
  /** Several processes on one database: poll only the shards leased for each window (lib/poller/shards). Absent: every device. */
  shards?: ShardLease;
}

export interface WindowStats {
  /** When the window ended. */
  at: string;
  durationMs: number;
  polls: number;
  pollsPerS: number;
  notModified: number;
  writes: number;
  events: number;
  errors: Record<string, number>;
  lagAvgMs: number;
  lagMaxMs: number;
}

export interface PollerHealth {
  running: boolean;
  startedAt: string | null;
  intervalS: number;
  concurrency: number;
  devices: number;
  inFlight: number;
  /** Devices currently backed off after failed polls. */
  backingOff: number;
  /** The last completed window (one poll interval; the device list is re-read at each window's start). */
  lastCycle: WindowStats | null;
  totals: { polls: number; notModified: number; writes: number; events: number; errors: Record<string, number> };
  /** The poller's own last failure (database, …), not a device's. */
  lastError: string | null;
  /** Shards of the fleet this process polls this window (null: not sharded, it polls every device). */
  shards: { owned: number; total: number } | null;
}

export interface TrendSample extends StatusCounts {
  at: string;
}

const HOUR_MS = 3_600_000;
const MAX_SAMPLES = 240;
/** Longest sleep of the loop: stopping and new work are noticed within this. */
const MAX_SLEEP_MS = 1_000;
const MIN_WINDOW_MS = 1_000;

export function optionsFromEnv(): PollerOptions {
  const e = env();
  return { intervalS: e.POLL_INTERVAL_S, concurrency: e.POLL_CONCURRENCY, retentionDays: e.STATUS_RETENTION_DAYS };
}

const newWindow = () => ({ startedAt: Date.now(), polls: 0, notModified: 0, writes: 0, events: 0, errors: {} as Record<string, number>, lagSum: 0, lagMax: 0 });

export class Poller {
  readonly intervalS: number;
  readonly concurrency: number;
  private readonly options: PollerOptions;
  private readonly bus: EventBus;
  private readonly schedule: Schedule;
  private readonly targets = new Map<string, PollTarget>();
  private readonly clients = new Map<string, { key: string; client: DeviceClient }>();
  private known = new Map<string, Known>();
  /** The newest full status per device (fresh keep-alive times that are not worth a database write). */
  private readonly latest = new Map<string, { status: DeviceStatus; at: Date }>();
  /** Last answer per device (last seen). */
  private readonly seen = new Map<string, Date>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private startedAt: Date | null = null;
  private window = newWindow();
  private lastWindow: WindowStats | null = null;
  private totals = { polls: 0, notModified: 0, writes: 0, events: 0, errors: {} as Record<string, number> };
  private lastError: string | null = null;
  private readonly samples: TrendSample[] = [];
  private nextRefreshAt = 0;
  private nextPruneAt = 0;
  private db: Db | null = null;
  private ownedShards: number | null = null;

  constructor(options: PollerOptions = {}) {
    this.options = options;
    this.intervalS = options.intervalS ?? 15;
    this.concurrency = options.concurrency ?? 64;
    if (!(this.intervalS > 0)) throw new Error(`poll interval must be positive, got ${this.intervalS} s`);
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new Error(`poll concurrency must be a whole number ≥ 1, got ${this.concurrency}`);
    this.bus = options.bus ?? eventBus();
    const shards = options.shards;
    this.schedule = new Schedule({
      intervalMs: this.intervalS * 1000,
      maxBackoffMs: options.maxBackoffMs,
      random: options.random,
      // Sharded: each device's place on the wall clock from its id, the same in every process (see Schedule).
      phase: shards ? (id) => shardOf(id, 0x7fffffff) / 0x7fffffff : undefined,
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.db = await (this.options.db ?? getDb)();
    this.known = await loadKnown(this.db);
    this.running = true;
    this.startedAt = new Date();
    this.window = newWindow();
    this.nextRefreshAt = 0;
    this.loop = this.run().catch((err: unknown) => {
      this.lastError = `poller loop stopped: ${(err as Error).message}`;
      logger.error({ err }, "status poller loop stopped");
      this.running = false;
    });
  }

  /** Stops the loop and waits for polls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    this.loop = null;
  }

  get isRunning(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const now = Date.now();
      if (now >= this.nextRefreshAt) await this.guard(() => this.refresh());
      if (now >= this.nextPruneAt) await this.guard(() => this.prune());
      for (const slot of this.schedule.takeDue(Date.now(), this.concurrency - this.inFlight.size)) {
        const p = this.poll(slot.id, slot.dueAt).finally(() => {
          this.inFlight.delete(p);
          this.wake?.();
        });
        this.inFlight.add(p);
      }
      const nextDue = this.inFlight.size < this.concurrency ? this.schedule.nextDueAt() : null;
      const until = Math.min(nextDue ?? Infinity, this.nextRefreshAt, Date.now() + MAX_SLEEP_MS);
      await this.sleep(until - Date.now());
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** A failing database call is recorded and retried later; it must not end the loop. */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.lastError = (err as Error).message;
      this.count(this.window.errors, "poller");
      logger.error({ err }, "status poller: database step failed");
    }
  }

  /** Window rollover: close the stats, take a trend sample, re-read the device list. */
  private async refresh(): Promise<void> {
    const now = Date.now();
    // One window per interval, but never shorter than a second (sub-second intervals are for benchmarks).
    const windowMs = Math.max(this.intervalS * 1000, MIN_WINDOW_MS);
    // Sharded: windows start on the wall clock's window boundaries, as the shard leases do (lib/poller/shards).
    this.nextRefreshAt = this.options.shards ? (Math.floor(now / windowMs) + 1) * windowMs + 20 : now + windowMs;
    if (this.window.polls > 0 || this.lastWindow) this.closeWindow(now);
    const lease = this.options.shards;
    const owned = lease ? await lease.renew() : null;
    this.ownedShards = owned?.size ?? null;
    const targets = await loadTargets(this.db!);
    this.targets.clear();
    for (const t of targets) if (!owned || owned.has(shardOf(t.id, lease!.shards))) this.targets.set(t.id, t);
    const { added, removed } = this.schedule.sync(this.targets.keys(), Date.now());
    // A device taken over from another process: its last known state is in the database, not in this process.
    if (owned && added.length) for (const [id, k] of await loadKnown(this.db!, added)) this.known.set(id, k);
    for (const id of removed) {
      this.clients.delete(id);
      this.known.delete(id);
      this.latest.delete(id);
      this.seen.delete(id);
    }
    this.sample();
  }

  private closeWindow(now: number): void {
    const w = this.window;
    const durationMs = now - w.startedAt;
    this.lastWindow = {
      at: new Date(now).toISOString(),
      durationMs,
      polls: w.polls,
      pollsPerS: durationMs > 0 ? Math.round((w.polls / durationMs) * 1000 * 10) / 10 : 0,
      notModified: w.notModified,
      writes: w.writes,
      events: w.events,
      errors: w.errors,
      lagAvgMs: w.polls ? Math.round(w.lagSum / w.polls) : 0,
      lagMaxMs: Math.round(w.lagMax),
    };
    this.window = newWindow();
  }

  private sample(): void {
    const counts = emptyCounts();
    for (const id of this.targets.keys()) {
      const k = this.known.get(id);
      countInto(counts, k?.row.state ?? null, k?.row.proxy ?? null);
    }
    this.samples.push({ at: new Date().toISOString(), ...counts });
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  private async prune(): Promise<void> {
    this.nextPruneAt = Date.now() + HOUR_MS;
    const days = this.options.retentionDays ?? 30;
    const deleted = await pruneEvents(this.db!, new Date(Date.now() - days * 86_400_000));
    if (deleted) logger.info({ deleted, days }, "status poller: pruned old status events");
  }

  private clientFor(target: PollTarget): DeviceClient {
    const key = `${target.address}\n${target.username}\n${target.passwordEnc ?? ""}\n${target.driver}\n${target.model}`;
    const cached = this.clients.get(target.id);
    if (cached?.key === key) return cached.client;
    const password = target.passwordEnc ? decryptSecret(target.passwordEnc) : "";
    const client = connectDevice(
      { address: target.address, username: target.username, password, driver: target.driver, model: target.model },
      { timeoutMs: this.options.timeoutMs, dispatcher: this.options.dispatcher },
    );
    this.clients.set(target.id, { key, client });
    return client;
  }

  private count(map: Record<string, number>, code: string): void {
    map[code] = (map[code] ?? 0) + 1;
  }

  private async poll(id: string, dueAt: number): Promise<void> {
    const started = Date.now();
    const lag = Math.max(0, started - dueAt);
    const target = this.targets.get(id);
    if (!target) {
      this.schedule.complete(id, true, Date.now());
      return;
    }
    const slot = this.schedule.get(id);
    let outcome: PollOutcome;
    let etag: string | null | undefined;
    try {
      const reply = await this.clientFor(target).getStatus({ etag: slot?.etag ?? undefined, waitS: this.options.longPollS ?? 0 });
      etag = reply.etag;
      outcome = reply.notModified ? { kind: "not_modified" } : { kind: "status", status: reply.status };
      if (!reply.notModified) this.latest.set(id, { status: reply.status, at: new Date() });
      this.seen.set(id, new Date());
      // Config truth rides on the status poll: a changed configRevision, a never-read or long-unread device → a read.
      configReader().observeStatus(id, (reply.notModified ? this.latest.get(id)?.status : reply.status)?.configRevision);
    } catch (err) {
      outcome = isDeviceError(err)
        ? { kind: "error", code: err.code, message: err.message }
        : { kind: "error", code: "internal", message: `polling ${target.address} failed: ${(err as Error).message}` };
      this.latest.delete(id);
    }

    const now = new Date();
    const prev = this.known.get(id) ?? null;
    const decision = decideTransition(prev, outcome, now);
    if (decision.row) {
      try {
        if (await writeDecision(this.db!, id, decision, now)) {
          const lastEventAt = decision.events.reduce<Date | null>((m, e) => (m === null || e.at > m ? e.at : m), prev?.lastEventAt ?? null);
          this.known.set(id, { row: decision.row, lastEventAt });
          this.window.writes += 1;
          this.window.events += decision.events.length;
          this.totals.writes += 1;
          this.totals.events += decision.events.length;
          const row = decision.row;
          this.bus.publish("status", {
            deviceId: id,
            state: row.state,
            proxy: row.proxy,
            since: row.since.toISOString(),
            lastError: row.lastError,
            reason: decision.events.at(-1)?.reason ?? null,
          });
        }
      } catch (err) {
        // Not recorded: the same change will be decided again on the next poll.
        this.lastError = `writing the status of ${target.address} failed: ${(err as Error).message}`;
        this.count(this.window.errors, "db_error");
        this.count(this.totals.errors, "db_error");
        logger.error({ err, deviceId: id }, "status poller: write failed");
        etag = null;
      }
    }

    this.window.polls += 1;
    this.totals.polls += 1;
    this.window.lagSum += lag;
    this.window.lagMax = Math.max(this.window.lagMax, lag);
    if (outcome.kind === "not_modified") {
      this.window.notModified += 1;
      this.totals.notModified += 1;
    }
    if (outcome.kind === "error") {
      this.count(this.window.errors, outcome.code);
      this.count(this.totals.errors, outcome.code);
    }
    this.schedule.complete(id, outcome.kind !== "error", Date.now(), etag);
  }

  health(): PollerHealth {
    let backingOff = 0;
    for (const slot of this.schedule.all()) if (slot.failures > 0) backingOff += 1;
    return {
      running: this.running,
      startedAt: this.startedAt?.toISOString() ?? null,
      intervalS: this.intervalS,
      concurrency: this.concurrency,
      devices: this.schedule.size,
      inFlight: this.inFlight.size,
      backingOff,
      lastCycle: this.lastWindow,
      totals: { ...this.totals, errors: { ...this.totals.errors } },
      lastError: this.lastError,
      shards: this.options.shards ? { owned: this.ownedShards ?? 0, total: this.options.shards.shards } : null,
    };
  }

  /** Counts per window since start (oldest first). */
  trend(): TrendSample[] {
    return [...this.samples];
  }

  /** When the phone last answered a poll (a 304 too) in this process; kept while it does not answer. */
  lastSeen(id: string): Date | undefined {
    return this.seen.get(id);
  }

  /** The freshest full status of a device seen by this process, if any. */
  latestStatus(id: string): { status: DeviceStatus; at: Date } | undefined {
    return this.latest.get(id);
  }

  /** Scheduling facts of one device (tests, status page): failures, next delay, polls done. */
  slotOf(id: string): { failures: number; lastDelayMs: number; polls: number; etag: string | null } | undefined {
    const s = this.schedule.get(id);
    return s && { failures: s.failures, lastDelayMs: s.lastDelayMs, polls: s.polls, etag: s.etag };
  }
}

// One poller per process, on globalThis for the same reason as the event bus (Next module duplication).
const KEY = Symbol.for("sip-admin-portal.poller");
type Holder = { [KEY]?: Poller };
const holder = globalThis as unknown as Holder;

export async function startPoller(options: PollerOptions = {}): Promise<Poller> {
  const existing = holder[KEY];
  if (existing?.isRunning) return existing;
  const poller = new Poller(options);
  holder[KEY] = poller;
  await poller.start();
  logger.info({ intervalS: poller.intervalS, concurrency: poller.concurrency }, "status poller started");
  return poller;
}

export async function stopPoller(): Promise<void> {
  const poller = holder[KEY];
  delete holder[KEY];
  await poller?.stop();
}

/** The running poller of this process, if any. */
export function getPoller(): Poller | undefined {
  return holder[KEY];
}
