// Probes every proxy address the fleet is configured with by SIP OPTIONS from the portal's own UDP socket
// (lib/sip: RFC 3261 retransmissions inside each transaction), every PROXY_PROBE_INTERVAL_S. Keeps each proxy's
// state and recent samples in memory, records up/down transitions in proxy_events and publishes every check on
// the event bus (topic `proxy`), which the /proxies page and the alerts engine follow.
import "server-only";
import { logger } from "@/lib/api/logger";
import { getDb, type Db } from "@/lib/db";
import { eventBus, type EventBus } from "@/lib/events";
import { env as readEnv } from "@/lib/env";
import { bindingVia, registrarMonitor } from "@/lib/registrars";
import { sharedSipClient, type SipClient } from "@/lib/sip";
import pLimit from "p-limit";
import { applyProbe, countPhones, probeResultOf, reachChange, unknownProxy, type PhoneCounts, type ProbeResult, type ProxyState, type SipReachability } from "./model";
import { clearStoredStatus, lastStates, loadFleet, loadSipOnlyPhones, recordTransition, storeUnreachable, type FleetPhone, type SipOnlyPhone } from "./store";
import { Rounds } from "@/lib/lifecycle/rounds";

export interface ProxyProberOptions {
  intervalS?: number;
  timeoutMs?: number;
  db?: () => Promise<Db>;
  bus?: EventBus;
  sip?: () => Promise<SipClient>;
}

const MAX_SAMPLES = 120;
const CONCURRENCY = 64;
// Phones can be thousands, mostly answering at once; a dead one holds its slot for the whole timeout, so the
// phone checks get a wider window than the proxies (UDP transactions on one socket cost next to nothing).
const PHONE_CONCURRENCY = 256;

export interface Sample {
  at: string;
  up: boolean;
  rttMs: number | null;
}

export class ProxyProber {
  readonly intervalS: number;
  readonly timeoutMs: number;
  private readonly bus: EventBus;
  private readonly states = new Map<string, ProxyState>();
  private readonly samples = new Map<string, Sample[]>();
  /** SIP reachability of phones that report no status themselves (driver provisioning), by device id. */
  private readonly reach = new Map<string, ProxyState & { target: string }>();
  private fleet: FleetPhone[] = [];
  private counts = new Map<string, PhoneCounts>();
  private readonly loop = new Rounds(() => this.intervalS * 1000, () => this.doRound());
  private seeded = false;
  lastRoundAt: Date | null = null;
  rounds = 0;

  constructor(private readonly options: ProxyProberOptions = {}) {
    const env = readEnv();
    this.intervalS = options.intervalS ?? env.PROXY_PROBE_INTERVAL_S;
    this.timeoutMs = options.timeoutMs ?? env.PROXY_PROBE_TIMEOUT_MS;
    this.bus = options.bus ?? eventBus();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round over every address (also used by tests to run a round now). */
  probeAll(): Promise<void> {
    return this.loop.now();
  }

  private async doRound(): Promise<void> {
    try {
      const db = await (this.options.db ?? getDb)();
      if (!this.seeded) {
        for (const [address, s] of await lastStates(db)) this.states.set(address, { ...unknownProxy(), up: s.up, since: s.at });
        this.seeded = true;
      }
      await this.refreshFleet(db);
      const sip = await (this.options.sip ?? sharedSipClient)();
      const phones = loadSipOnlyPhones(db);
      const addresses = [...this.counts.keys()];
      const proxies = (async () => {
        for (let i = 0; i < addresses.length; i += CONCURRENCY) {
          await Promise.all(addresses.slice(i, i + CONCURRENCY).map((a) => this.probeOne(db, sip, a)));
        }
      })();
      await Promise.all([proxies, this.checkPhones(db, sip, await phones)]);
      for (const a of this.states.keys()) if (!this.counts.has(a)) this.forget(a);
      this.lastRoundAt = new Date();
      this.rounds += 1;
    } catch (err) {
      logger.error({ err }, "proxy prober: round failed");
    }
  }

  private forget(address: string): void {
    this.states.delete(address);
    this.samples.delete(address);
  }

  private async refreshFleet(db: Db): Promise<void> {
    this.fleet = await loadFleet(db);
    const bindings = registrarMonitor().allBindings();
    this.counts = countPhones(
      this.fleet.map((p) => {
        return { id: p.id, uses: p.uses, registeredVia: p.registeredTo ?? bindingVia(bindings.get(p.id)) };
      }),
    );
  }

  private async sendOptions(sip: SipClient, target: string): Promise<ProbeResult> {
    return probeResultOf(await sip.request({ method: "OPTIONS", target, timers: { timeoutMs: this.timeoutMs } }));
  }

  /**
   * Phones without a status interface: OPTIONS to their SIP address proves reachability, nothing more. Not
   * answering is stored as "unreachable" (list, alerts, metrics see it as for any phone); answering again removes
   * that row (registration is known only from the registrars). Changes go out on the bus like the poller's.
   */
  private async checkPhones(db: Db, sip: SipClient, phones: SipOnlyPhone[]): Promise<void> {
    const limit = pLimit(PHONE_CONCURRENCY);
    await Promise.all(phones.map((p) => limit(() => this.checkPhone(db, sip, p))));
    const ids = new Set(phones.map((p) => p.id));
    for (const id of this.reach.keys()) if (!ids.has(id)) this.reach.delete(id);
  }

  private async checkPhone(db: Db, sip: SipClient, phone: SipOnlyPhone): Promise<void> {
    const result = await this.sendOptions(sip, phone.target);
    const now = new Date();
    const prev = this.reach.get(phone.id);
    const { next } = applyProbe(prev && prev.target === phone.target ? prev : unknownProxy(), result, now);
    // The reply joins this (memory) with the stored state, so the order matters: "not answering" is known before
    // "unreachable" is stored, and a stored "unreachable" is cleared before "answering" is known — the reply never
    // pairs "unreachable" with "answering".
    const remember = () => void this.reach.set(phone.id, { ...next, target: phone.target });
    const change = reachChange(phone.stored, result);
    if (!change) return remember();
    try {
      if (change === "write") {
        remember();
        const reason = `${phone.target}: ${(result as { reason: string }).reason}`;
        if (!(await storeUnreachable(db, phone, reason, now))) return;
        this.bus.publish("status", { deviceId: phone.id, state: "unreachable", proxy: null, since: now.toISOString(), lastError: reason, reason });
      } else {
        await clearStoredStatus(db, phone.id);
        const reason = `answers SIP OPTIONS at ${phone.target} again`;
        this.bus.publish("status", { deviceId: phone.id, state: null, proxy: null, since: now.toISOString(), lastError: null, reason });
      }
    } catch (err) {
      logger.error({ err, deviceId: phone.id }, "proxy prober: recording a phone's reachability failed");
    } finally {
      remember();
    }
  }

  /** The last OPTIONS check of a phone without a status interface (null fields: not checked yet). */
  reachabilityOf(deviceId: string, target: string): SipReachability {
    const r = this.reach.get(deviceId);
    if (!r || r.target !== target) return { target, reachable: null, rttMs: null, checkedAt: null, since: null, lastError: null };
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return { target, reachable: r.up, rttMs: r.rttMs === null ? null : Math.round(r.rttMs * 10) / 10, checkedAt: iso(r.checkedAt), since: iso(r.since), lastError: r.lastError };
  }

  private async probeOne(db: Db, sip: SipClient, address: string): Promise<void> {
    const result = await this.sendOptions(sip, address);
    const now = new Date();
    const { next, transition } = applyProbe(this.states.get(address) ?? unknownProxy(), result, now);
    this.states.set(address, next);
    const list = this.samples.get(address) ?? this.samples.set(address, []).get(address)!;
    list.push({ at: now.toISOString(), up: next.up!, rttMs: next.rttMs === null ? null : Math.round(next.rttMs * 10) / 10 });
    if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
    if (transition) {
      try {
        await recordTransition(db, { address, at: now, up: transition.up, rttMs: next.rttMs, reason: transition.reason });
      } catch (err) {
        logger.error({ err, address }, "proxy prober: recording a transition failed");
      }
      logger.info({ address, up: transition.up, reason: transition.reason }, `proxy ${address} is ${transition.up ? "up" : "down"}`);
    }
    this.bus.publish("proxy", {
      address,
      up: next.up!,
      rttMs: next.rttMs,
      checkedAt: now.toISOString(),
      since: (next.since ?? now).toISOString(),
      changed: transition !== null,
      reason: transition?.reason ?? null,
    });
  }

  /** Every address with its state and the phone counts of the last round. */
  list(): { address: string; state: ProxyState; phones: PhoneCounts }[] {
    return [...this.counts].map(([address, phones]) => ({ address, state: this.states.get(address) ?? unknownProxy(), phones })).sort((a, b) => a.address.localeCompare(b.address));
  }

  samplesOf(address: string): Sample[] {
    return [...(this.samples.get(address) ?? [])];
  }

  /** The phones of the last round (dependents of a proxy, alert fan-out). */
  phones(): readonly FleetPhone[] {
    return this.fleet;
  }

  stateOf(address: string): ProxyState | undefined {
    return this.states.get(address);
  }
}

const KEY = Symbol.for("sip-admin-portal.proxy-prober");
type Holder = { [KEY]?: ProxyProber };
const holder = globalThis as unknown as Holder;

export function proxyProber(): ProxyProber {
  return (holder[KEY] ??= new ProxyProber());
}

export function startProxyProber(options?: ProxyProberOptions): ProxyProber {
  const p = (holder[KEY] ??= new ProxyProber(options));
  p.start();
  return p;
}

export async function stopProxyProber(): Promise<void> {
  const p = holder[KEY];
  delete holder[KEY];
  await p?.stop();
}
