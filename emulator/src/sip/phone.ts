import { SipEndpoint, type Target } from "./endpoint";
import { type FailoverAction, type FailoverEvent, FailoverMachine } from "./failover";
import { type SipRequest, makeResponse } from "./message";
import { NotifyHandler } from "./notify";
import type { ConfigValues, CreateSipPhone, ProxyRole, SipPhone, SipPhoneOptions, SipStatus } from "./phone-contract";
import { type PhoneSettings, deriveSettings } from "./settings";
import { type Identity, UserAgent, splitHostPort } from "./user-agent";

// One emulated phone: a UDP socket, the REGISTER/OPTIONS user agent and the failover state machine, wired
// together with real timers. The machine decides; this file only performs its actions and feeds results back.

/** Upper bound for the best-effort un-REGISTER on stop, so stopping a phone with a dead proxy is quick. */
const STOP_UNREGISTER_WAIT_MS = 1000;

export const createSipPhone: CreateSipPhone = (options: SipPhoneOptions): SipPhone => new EmulatedPhone(options);

class EmulatedPhone implements SipPhone {
  private settings: PhoneSettings;
  private readonly machine: FailoverMachine;
  private readonly endpoint: SipEndpoint;
  private readonly ua: UserAgent;
  private readonly listeners = new Set<(status: SipStatus) => void>();
  private readonly partitioned = new Set<ProxyRole>();
  /** Who registered where, so an un-REGISTER uses the identity of the binding even after an account change. */
  private readonly boundIdentity = new Map<string, Identity>();
  private offline = false;
  private timer: NodeJS.Timeout | undefined;
  private seenRevision = -1;
  private running = false;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly notifications: NotifyHandler | null;

  constructor(options: SipPhoneOptions) {
    this.settings = deriveSettings(options.config);
    this.machine = new FailoverMachine(this.settings.failover, Date.now());
    const onCheckSync = options.onCheckSync;
    this.notifications = onCheckSync
      ? new NotifyHandler(options.localAddress, () => ({ user: this.settings.authName, password: this.settings.password }), onCheckSync)
      : null;
    this.endpoint = new SipEndpoint({
      address: options.localAddress,
      port: options.localPort ?? this.settings.localPort,
      onRequest: (request) => this.answer(request),
      drop: (peer) => this.isCut(peer),
      rport: () => this.settings.rport,
    });
    this.ua = new UserAgent(this.endpoint, () => ({ t1: this.settings.t1, t2: this.settings.t2 }));
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.endpoint.start();
    this.running = true;
    this.dispatch({ type: "start" });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    const actions = this.machine.handle({ type: "stop" }, Date.now());
    const unregisters = actions.filter((a) => a.type === "unregister").map((a) => this.unregister(a.address));
    await Promise.race([Promise.all(unregisters), new Promise((r) => setTimeout(r, STOP_UNREGISTER_WAIT_MS))]);
    await this.endpoint.stop();
    await Promise.allSettled([...this.inflight]);
    this.notify();
  }

  updateConfig(config: ConfigValues): void {
    this.settings = deriveSettings(config);
    // T1/T2 apply to the next transaction; the machine decides whether a re-registration is needed.
    if (this.running) this.dispatch({ type: "configure", config: this.settings.failover });
    else this.machine.handle({ type: "configure", config: this.settings.failover }, Date.now());
  }

  status(): SipStatus {
    return this.machine.status();
  }

  onChange(listener: (status: SipStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPartition(role: ProxyRole, cut: boolean): void {
    if (cut) this.partitioned.add(role);
    else this.partitioned.delete(role);
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  // ---- wiring -------------------------------------------------------------------------------------

  private answer(request: SipRequest) {
    if (request.method === "OPTIONS")
      return makeResponse(request, 200, "OK", [["allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY"], ["accept", "application/sdp"]], "em" + Date.now().toString(36));
    if (request.method === "NOTIFY" && this.notifications) return this.notifications.answer(request);
    return makeResponse(request, 501, "Not Implemented");
  }

  private isCut(peer: Target): boolean {
    if (this.offline) return true;
    for (const role of this.partitioned) {
      const address = role === "primary" ? this.settings.failover.primary : this.settings.failover.redundant;
      if (address && this.ua.resolvedHost(address) === peer.host && splitHostPort(address).port === peer.port) return true;
    }
    return false;
  }

  private dispatch(event: FailoverEvent): void {
    if (!this.running) return;
    const actions = this.machine.handle(event, Date.now());
    for (const action of actions) this.perform(action);
    this.rearm();
    this.notify();
  }

  private perform(action: FailoverAction): void {
    const identity = this.identity();
    switch (action.type) {
      case "register":
        this.track(
          this.ua.register(action.address, action.expiresS, identity).then((result) => {
            if (result.outcome === "ok") this.boundIdentity.set(action.address, identity);
            this.dispatch({ type: "registerResult", tx: action.tx, ...result });
          }),
        );
        break;
      case "options":
        this.track(this.ua.options(action.address, identity).then((result) => this.dispatch({ type: "optionsResult", tx: action.tx, ...result })));
        break;
      case "unregister":
        this.track(this.unregister(action.address));
        break;
    }
  }

  private unregister(address: string): Promise<unknown> {
    const identity = this.boundIdentity.get(address) ?? this.identity();
    this.boundIdentity.delete(address);
    return this.ua.register(address, 0, identity);
  }

  private track(promise: Promise<unknown>): void {
    const guarded = promise.catch(() => undefined).finally(() => this.inflight.delete(guarded));
    this.inflight.add(guarded);
  }

  private rearm(): void {
    clearTimeout(this.timer);
    const at = this.machine.nextWakeAt();
    if (at === null || !this.running) return;
    this.timer = setTimeout(() => this.dispatch({ type: "tick" }), Math.max(0, at - Date.now()));
  }

  private notify(): void {
    if (this.machine.revision === this.seenRevision) return;
    this.seenRevision = this.machine.revision;
    const status = this.machine.status();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch {
        // A faulty listener must not break the phone.
      }
    }
  }

  private identity(): Identity {
    const { user, authName, password, displayName } = this.settings;
    return { user, authName, password, displayName };
  }
}
