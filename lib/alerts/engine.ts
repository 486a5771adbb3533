// The alert engine: follows the event bus (device status, proxy probes, jobs) and the unreachable timers, turns
// what happens into incident signals (decide.ts) and applies them (store.ts), in small batches so that a proxy
// with thousands of phones costs one device query per batch, not one per phone.
import "server-only";
import { eq, inArray } from "drizzle-orm";
import { logger } from "@/lib/api/logger";
import { getDb, type Db } from "@/lib/db";
import { deviceConfigs, deviceStatus, devices } from "@/lib/db/schema";
import { eventBus, type EventBus } from "@/lib/events";
import { env as readEnv } from "@/lib/env";
import { proxyProber } from "@/lib/proxy-health";
import { driftSignal, jobSignal, proxySignal, statusSignals, unreachableSignals, type Reg, type Signal } from "./decide";
import { applySignal, type Subject } from "./store";

export interface AlertEngineOptions {
  db?: () => Promise<Db>;
  bus?: EventBus;
  unreachableAfterS?: number;
  batchWindowS?: number;
}

const FLUSH_MS = 250;
const TICK_MS = 1_000;
const DRIFT_EVERY_MS = 10_000;

type Pending = { signal: Signal; deviceId?: string; proxy?: string };

export class AlertEngine {
  private readonly bus: EventBus;
  private readonly unreachableAfterMs: number;
  private readonly batchWindowMs: number;
  private readonly prev = new Map<string, Reg>();
  /** Unreachable phones whose incident is not open yet: id → since. */
  private readonly away = new Map<string, Date>();
  private drifted: Set<string> | null = null;
  private queue: Pending[] = [];
  private unsubscribe: (() => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;
  private nextDriftAt = 0;
  private db: Db | null = null;
  /** Signals applied and messages queued since start (tests, health). */
  readonly stats = { signals: 0, queued: 0 };

  constructor(private readonly options: AlertEngineOptions = {}) {
    const env = readEnv();
    this.bus = options.bus ?? eventBus();
    this.unreachableAfterMs = (options.unreachableAfterS ?? env.ALERT_UNREACHABLE_AFTER_S) * 1000;
    this.batchWindowMs = (options.batchWindowS ?? env.ALERT_BATCH_WINDOW_S) * 1000;
  }

  async start(): Promise<void> {
    if (this.db) return;
    this.db = await (this.options.db ?? getDb)();
    // What the portal knew before this process started: changes are judged against it, timers continue.
    for (const r of await this.db.select({ id: deviceStatus.deviceId, state: deviceStatus.state, proxy: deviceStatus.proxy, since: deviceStatus.since }).from(deviceStatus)) {
      this.prev.set(r.id, { state: r.state, proxy: r.proxy });
      if (r.state === "unreachable") this.away.set(r.id, r.since);
    }
    this.unsubscribe = [
      this.bus.subscribe("status", (e) => {
        const next = { state: e.state, proxy: e.proxy };
        const prev = this.prev.get(e.deviceId) ?? null;
        this.prev.set(e.deviceId, next);
        if (e.state === "unreachable") {
          if (!this.away.has(e.deviceId)) this.away.set(e.deviceId, new Date(e.since));
        } else this.away.delete(e.deviceId);
        for (const signal of statusSignals(e.deviceId, prev, next, e.reason)) this.queue.push({ signal, deviceId: e.deviceId });
      }),
      this.bus.subscribe("proxy", (e) => {
        if (e.changed) this.queue.push({ signal: proxySignal(e.address, e.up, e.reason), proxy: e.address });
      }),
      this.bus.subscribe("job", (e) => {
        if (e.state !== "done") return;
        const signal = jobSignal(e.jobId, (e.counts as Record<string, number> | undefined) ?? {});
        if (signal) this.queue.push({ signal });
      }),
    ];
    this.timers = [setInterval(() => void this.flush(), FLUSH_MS), setInterval(() => void this.tick(), TICK_MS)];
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe) off();
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe = [];
    this.timers = [];
    await this.flush();
    this.db = null;
  }

  private async tick(): Promise<void> {
    const now = new Date();
    for (const signal of unreachableSignals(this.away, now, this.unreachableAfterMs)) {
      const id = signal.key.split(":")[1];
      this.away.delete(id);
      this.queue.push({ signal, deviceId: id });
    }
    if (Date.now() >= this.nextDriftAt) {
      this.nextDriftAt = Date.now() + DRIFT_EVERY_MS;
      await this.checkDrift().catch((err) => logger.error({ err }, "alerts: drift check failed"));
    }
  }

  /** Drift is decided by lib/push (device_configs.state); this notices changes of that set. */
  private async checkDrift(): Promise<void> {
    if (!this.db) return;
    const rows = await this.db.select({ id: deviceConfigs.deviceId, drift: deviceConfigs.drift }).from(deviceConfigs).where(eq(deviceConfigs.state, "drifted"));
    const now = new Set(rows.map((r) => r.id));
    const before = this.drifted;
    this.drifted = now;
    if (!before) {
      // First look after a start: open what is drifted (a no-op for incidents already open).
      for (const r of rows) this.queue.push({ signal: driftSignal(r.id, true, Object.keys(r.drift ?? {})), deviceId: r.id });
      return;
    }
    for (const r of rows) if (!before.has(r.id)) this.queue.push({ signal: driftSignal(r.id, true, Object.keys(r.drift ?? {})), deviceId: r.id });
    for (const id of before) if (!now.has(id)) this.queue.push({ signal: driftSignal(id, false, []), deviceId: id });
  }

  /** Applies queued signals (also awaited by tests). */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    while (this.queue.length && this.db) {
      const batch = this.queue.splice(0, 500);
      const ids = [...new Set(batch.flatMap((p) => (p.deviceId ? [p.deviceId] : [])))];
      const rows = ids.length
        ? await this.db
            .select({ id: devices.id, name: devices.name, address: devices.address, site: devices.site, tags: devices.tags, maintenance: devices.maintenance })
            .from(devices)
            .where(inArray(devices.id, ids))
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const now = new Date();
      for (const p of batch) {
        const subject = this.subjectOf(p, byId);
        if (!subject) continue; // the device was deleted meanwhile
        try {
          this.stats.queued += await applySignal(this.db, p.signal, subject, { now, batchWindowMs: this.batchWindowMs });
          this.stats.signals += 1;
        } catch (err) {
          logger.error({ err, key: p.signal.key }, "alerts: applying a signal failed");
        }
      }
    }
  }

  private subjectOf(p: Pending, byId: Map<string, Subject["device"] & object>): Subject | null {
    if (p.deviceId) {
      const d = byId.get(p.deviceId);
      return d ? { device: d, scope: [{ site: d.site, tags: d.tags }], label: d.name } : null;
    }
    if (p.proxy) {
      const address = p.proxy;
      const scope = proxyProber()
        .phones()
        .filter((ph) => ph.uses.some((u) => u.address === address))
        .map((ph) => ({ site: ph.site, tags: ph.tags }));
      return { proxy: { address }, scope, label: address };
    }
    return { scope: [], label: String(p.signal.details.jobId ?? p.signal.key) };
  }
}

const KEY = Symbol.for("sip-admin-portal.alert-engine");
type Holder = { [KEY]?: AlertEngine };
const holder = globalThis as unknown as Holder;

export async function startAlertEngine(options?: AlertEngineOptions): Promise<AlertEngine> {
  const e = (holder[KEY] ??= new AlertEngine(options));
  await e.start();
  return e;
}

export async function stopAlertEngine(): Promise<void> {
  const e = holder[KEY];
  delete holder[KEY];
  await e?.stop();
}
