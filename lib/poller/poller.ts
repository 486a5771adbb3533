// The status poller: one loop per process that keeps every device's registration status in device_status and
// status_events, polling with bounded concurrency on a jittered schedule (schedule.ts), deciding with the pure
// decideTransition (transition.ts), writing only changes and publishing them on the event bus.
//
// Two ways to learn a phone's status:
// - a short conditional GET /status (If-None-Match → 304) at every interval, within POLL_CONCURRENCY: the lag is up
//   to one interval;
// - held: a phone whose status answers advertise the long-poll (Status-Wait-Max, emulator/API.md) is asked
//   `GET /status?wait=W` with its ETag right after the short poll that showed it, and again after every answer:
//   it answers the moment its status changes (sub-second lag) and otherwise with a 304 after W s (W = POLL_WAIT_S,
//   default the interval, so an unchanged phone still answers about once per interval). Held requests cost a socket
//   each, not CPU, so they are outside the concurrency bound (the device pool keeps a second connection per phone
//   for config calls). A failed held poll hands the phone back to the schedule (backoff as for short polls); a
//   phone that leaves this process's shards, or a stopping poller, aborts its held request, so each phone is held
//   by one process at a time. Phones without the header (web interface, older firmware) keep interval polling.
import "server-only";
import type { Dispatcher } from "undici";
import { logger } from "@/lib/api/logger";
import { decryptSecret } from "@/lib/crypto";
import { getDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { connectDevice, isDeviceError, type DeviceClient, type DeviceStatus } from "@/lib/device";
import { eventBus, type EventBus } from "@/lib/events";
import { configReader } from "@/lib/push/background";
import { MAX_STATUS_WAIT_S } from "@/lib/device/limits";
import { defaultHoldS, pollWindowMs } from "./freshness";
import { limitHeapGrowth } from "./heap";
import { shardOf, type ShardLease } from "./shards";
import { Schedule } from "./schedule";
import { countInto, emptyCounts, flushLastSeen, loadKnown, loadTargets, pruneEvents, targetsFingerprint, writeDecision, type PollTarget, type StatusCounts } from "./store";
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
  /**
   * Wait (s) of the held long-poll for phones that offer it (env POLL_WAIT_S); default the interval (1..60);
   * 0 = short conditional polls only.
   */
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
  /** Phones this process holds a status long-poll with (outside the concurrency bound). */
  held: number;
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
/** A held poll answered sooner than this did not hold: a 304 this fast means the phone ignores `wait`. */
const QUICK_MS = 200;
/** Answers this quick in a row (a status that changes all the time) hand the phone back to the schedule for an interval. */
const MAX_QUICK = 5;

export function optionsFromEnv(): PollerOptions {
  const e = env();
  return { intervalS: e.POLL_INTERVAL_S, concurrency: e.POLL_CONCURRENCY, retentionDays: e.STATUS_RETENTION_DAYS, longPollS: e.POLL_WAIT_S };
}

/** What the poller keeps of a phone's last full status (see Poller.latest). */
export type LatestStatus = Pick<DeviceStatus, "state" | "proxy" | "keepAlive" | "expiresAt" | "configRevision">;
const latestOf = (s: DeviceStatus): LatestStatus => ({ state: s.state, proxy: s.proxy, keepAlive: s.keepAlive, expiresAt: s.expiresAt, configRevision: s.configRevision });

const newWindow = () => ({ startedAt: Date.now(), polls: 0, notModified: 0, writes: 0, events: 0, errors: {} as Record<string, number>, lagSum: 0, lagMax: 0 });

export class Poller {
  readonly intervalS: number;
  readonly concurrency: number;
  /** Wait of a held long-poll, s (0: none). */
  readonly holdS: number;
  private readonly options: PollerOptions;
  private readonly bus: EventBus;
  private readonly schedule: Schedule;
  private readonly targets = new Map<string, PollTarget>();
  /** Every device to poll as last read, and the fingerprint it was read at (store.ts targetsFingerprint). */
  private allTargets: PollTarget[] | null = null;
  private targetsFingerprint = "";
  private readonly clients = new Map<string, { key: string; target: PollTarget; client: DeviceClient }>();
  private known = new Map<string, Known>();
  /**
   * The newest keep-alive times, expiry, config revision and registration per device (they change without being worth a database
   * write). Only these fields: a full status with its transitions (up to 50) per phone was the largest per-device
   * allocation kept at 10,000 phones.
   */
  private readonly latest = new Map<string, { status: LatestStatus; at: Date }>();
  /** Last answer per device (last seen), ms: a number, not a Date object per poll. */
  private readonly seen = new Map<string, number>();
  /** Answers up to this time are in device_status.checked_at (flushSeen); the write in progress, if any. */
  private seenFlushedAt = 0;
  private flushing: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** Phones on a held long-poll: its abort (shard moved, device removed, stop). */
  private readonly held = new Map<string, AbortController>();
  private readonly holding = new Set<Promise<void>>();
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
    this.holdS = options.longPollS ?? defaultHoldS(this.intervalS);
    if (!Number.isInteger(this.holdS) || this.holdS < 0 || this.holdS > MAX_STATUS_WAIT_S) throw new Error(`long-poll wait must be a whole number of seconds 0..${MAX_STATUS_WAIT_S}, got ${this.holdS}`);
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
    limitHeapGrowth(env().HEAP_GROWING_PERCENT);
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

  /** Stops the loop, gives held long-polls up and waits for polls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    for (const ctrl of this.held.values()) ctrl.abort();
    await this.loop;
    await Promise.allSettled([...this.inFlight, ...this.holding]);
    await this.flushing;
    await this.guard(() => this.flushSeen());
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
    const windowMs = pollWindowMs(this.intervalS);
    // Sharded: windows start on the wall clock's window boundaries, as the shard leases do (lib/poller/shards).
    this.nextRefreshAt = this.options.shards ? (Math.floor(now / windowMs) + 1) * windowMs + 20 : now + windowMs;
    if (this.window.polls > 0 || this.lastWindow) this.closeWindow(now);
    this.startFlush();
    const lease = this.options.shards;
    const owned = lease ? await lease.renew() : null;
    this.ownedShards = owned?.size ?? null;
    // The device list is re-read only when its fingerprint moved (one row per window instead of every device's).
    const fingerprint = await targetsFingerprint(this.db!);
    if (fingerprint !== this.targetsFingerprint || !this.allTargets) {
      this.allTargets = await loadTargets(this.db!);
      this.targetsFingerprint = fingerprint;
    }
    const targets = this.allTargets;
    this.targets.clear();
    for (const t of targets) if (!owned || owned.has(shardOf(t.id, lease!.shards))) this.targets.set(t.id, t);
    const { added, removed } = this.schedule.sync(this.targets.keys(), Date.now());
    // A device taken over from another process: its last known state is in the database, not in this process.
    if (owned && added.length) for (const [id, k] of await loadKnown(this.db!, added)) this.known.set(id, k);
    for (const id of removed) {
      // Not this process's phone any more (shard moved, device deleted): its held long-poll goes with it.
      this.held.get(id)?.abort();
      this.held.delete(id);
      this.clients.delete(id);
      this.known.delete(id);
      this.latest.delete(id);
      this.seen.delete(id);
    }
    this.sample();
  }

  /**
   * Stores the answers of the window that ended (device_status.checked_at) in ONE statement, so a process that does
   * not poll can say how old a phone's status is. Per window, not per poll: at 10,000 phones a write per answer
   * would be ~700 statements a second (BENCHMARKS.md). A scan of `seen` per window costs far less than that.
   */
  private startFlush(): void {
    // Not awaited: the loop (and the shard lease's timing) does not wait for the write. Still running from the last
    // window (a slow database): the next flush takes both windows' answers.
    if (this.flushing) return;
    this.flushing = this.guard(() => this.flushSeen()).finally(() => {
      this.flushing = null;
    });
  }

  /** The batch is taken synchronously (before the window's removals drop devices from `seen`), then written. */
  private async flushSeen(): Promise<void> {
    const since = this.seenFlushedAt;
    const batch: Array<[string, Date]> = [];
    let newest = since;
    for (const [id, t] of this.seen) {
      if (t <= since) continue;
      batch.push([id, new Date(t)]);
      if (t > newest) newest = t;
    }
    if (!batch.length) return;
    await flushLastSeen(this.db!, batch);
    // Only after the write: a failed one is retried with the next window's answers (the guard records the error).
    this.seenFlushedAt = newest;
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
    const cached = this.clients.get(target.id);
    // The same target object (the list was not re-read): nothing can have changed; no key built per poll.
    if (cached?.target === target) return cached.client;
    const key = `${target.address}\n${target.username}\n${target.passwordEnc ?? ""}\n${target.driver}\n${target.model}`;
    if (cached?.key === key) {
      cached.target = target;
      return cached.client;
    }
    const password = target.passwordEnc ? decryptSecret(target.passwordEnc) : "";
    const client = connectDevice(
      { address: target.address, username: target.username, password, driver: target.driver, model: target.model },
      { timeoutMs: this.options.timeoutMs, dispatcher: this.options.dispatcher },
    );
    this.clients.set(target.id, { key, target, client });
    return client;
  }

  private count(map: Record<string, number>, code: string): void {
    map[code] = (map[code] ?? 0) + 1;
  }

  /** One status request: its outcome, the ETag to send next, and whether the phone holds long-polls. */
  private async exchange(id: string, target: PollTarget, etag: string | undefined, waitS: number, signal?: AbortSignal): Promise<{ outcome: PollOutcome; etag: string | null | undefined; waitMaxS: number | null }> {
    try {
      const reply = await this.clientFor(target).getStatus({ etag, waitS, signal });
      if (!reply.notModified) this.latest.set(id, { status: latestOf(reply.status), at: new Date() });
      this.seen.set(id, Date.now());
      // Config truth rides on the status poll: a changed configRevision, a never-read or long-unread device → a read.
      configReader().observeStatus(id, (reply.notModified ? this.latest.get(id)?.status : reply.status)?.configRevision);
      return { outcome: reply.notModified ? { kind: "not_modified" } : { kind: "status", status: reply.status }, etag: reply.etag, waitMaxS: reply.waitMaxS ?? null };
    } catch (err) {
      this.latest.delete(id);
      const outcome: PollOutcome = isDeviceError(err)
        ? { kind: "error", code: err.code, message: err.message }
        : { kind: "error", code: "internal", message: `polling ${target.address} failed: ${(err as Error).message}` };
      return { outcome, etag: undefined, waitMaxS: null };
    }
  }

  /** A short poll at the device's due time; a phone that offers the long-poll is then held (see the top). */
  private async poll(id: string, dueAt: number): Promise<void> {
    const started = Date.now();
    const lag = Math.max(0, started - dueAt);
    const target = this.targets.get(id);
    if (!target) {
      this.schedule.complete(id, true, Date.now());
      return;
    }
    const reply = await this.exchange(id, target, this.schedule.get(id)?.etag ?? undefined, 0);
    const etag = await this.record(id, target, reply.outcome, reply.etag, lag);
    const waitS = Math.min(this.holdS, reply.waitMaxS ?? 0);
    if (reply.outcome.kind !== "error" && etag && waitS > 0 && this.running && this.targets.has(id) && !this.held.has(id)) {
      this.schedule.note(id, etag);
      this.startHold(id, waitS);
      return;
    }
    this.schedule.complete(id, reply.outcome.kind !== "error", Date.now(), etag);
  }

  private startHold(id: string, waitS: number): void {
    const ctrl = new AbortController();
    this.held.set(id, ctrl);
    const p = this.hold(id, waitS, ctrl.signal).finally(() => {
      this.holding.delete(p);
      if (this.held.get(id) === ctrl) this.held.delete(id);
      this.wake?.();
    });
    this.holding.add(p);
  }

  /**
   * Held long-polls of one phone, one after the other, until one fails, the phone stops offering them or answers
   * too fast, or the signal gives it up; then the schedule takes the phone back (unless it was given up: then it is
   * no longer this process's, or the poller stops).
   */
  private async hold(id: string, waitS: number, signal: AbortSignal): Promise<void> {
    let ok = true;
    let etag: string | null | undefined;
    let quick = 0;
    for (;;) {
      const target = this.targets.get(id);
      const slot = this.schedule.get(id);
      if (!target || !slot || !slot.etag) break;
      const started = Date.now();
      const reply = await this.exchange(id, target, slot.etag, waitS, signal);
      // Given up mid-request: the aborted request says nothing about the phone; nothing is recorded.
      if (signal.aborted || !this.running) return;
      etag = await this.record(id, target, reply.outcome, reply.etag, 0);
      if (reply.outcome.kind === "error") {
        ok = false;
        break;
      }
      // No ETag (a write failed, or none sent): the next short poll decides again, as after a short poll.
      if (!etag || !reply.waitMaxS) break;
      this.schedule.note(id, etag);
      const fast = Date.now() - started < QUICK_MS;
      if (fast && reply.outcome.kind === "not_modified") break; // it did not hold: it ignores `wait`
      quick = fast ? quick + 1 : 0;
      if (quick >= MAX_QUICK) break;
    }
    if (!signal.aborted) this.schedule.complete(id, ok, Date.now(), ok ? etag : null);
  }

  /** Decides and records one outcome (write, bus event, window stats); returns the ETag to send next. */
  private async record(id: string, target: PollTarget, outcome: PollOutcome, replyEtag: string | null | undefined, lag: number): Promise<string | null | undefined> {
    let etag = replyEtag;
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
    return etag;
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
      held: this.held.size,
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
    const t = this.seen.get(id);
    return t === undefined ? undefined : new Date(t);
  }

  /** The freshest keep-alive times, expiry and config revision of a device seen by this process, if any. */
  latestStatus(id: string): { status: LatestStatus; at: Date } | undefined {
    return this.latest.get(id);
  }

  /** Scheduling facts of one device (tests, status page): failures, next delay, polls done. */
  slotOf(id: string): { failures: number; lastDelayMs: number; polls: number; etag: string | null; held: boolean } | undefined {
    const s = this.schedule.get(id);
    return s && { failures: s.failures, lastDelayMs: s.lastDelayMs, polls: s.polls, etag: s.etag, held: this.held.has(id) };
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
