import type { ProxyHealth, ProxyRole, RegistrationState, SipStatus, Transition } from "./phone-contract";

// The phone's registration and proxy-redundancy logic as a PURE state machine: no sockets, no timers.
// Inputs are events plus the current time; outputs are actions (send REGISTER/OPTIONS, unregister) and a
// next wake-up time the driver (phone.ts) arms a timer for. Transactions are identified by `tx` numbers;
// results for a transaction the machine no longer waits for (config changed, phone stopped) are ignored.
//
// Choices where the admin guide is silent (written down here on purpose):
// - "Does not answer" = the transaction timed out (Timer F, 64·T1). Any final response, even 404 to OPTIONS,
//   means the proxy is alive.
// - Keep-alive periods: with redundancy on, `redundant_proxy_ka_period` paces every OPTIONS probe (the current
//   proxy's keep-alive and the asymmetric fail-back probe of the primary); 0 disables redundancy probing, and
//   then the generic `ka_options/timeout` (if `ka_options/enabled`) still keeps the current proxy alive.
//   Without redundancy only `ka_options` applies. Without any probing, a dead proxy is noticed at the next
//   REGISTER refresh.
// - Asymmetric on the redundant proxy: only the primary is probed (the redundant one is checked by refreshes).
//   When the primary answers, a REGISTER to it is sent in the background; the phone stays "registered to
//   redundant" until the primary accepts it, then unregisters from the redundant one. A failed fail-back
//   keeps the redundant registration and probing continues.
// - Refresh at half of the granted expiry. A refresh timeout counts as "not answering" (switch proxies).
// - A final error (403, 404, 5xx, failed authentication) → state "failed" with lastError, retried after
//   `retryDelayMs`; the retry goes to the primary, except in symmetric mode, where it stays on the same proxy.
// - Timeouts while registering switch to the other proxy at once (the 64·T1 wait already paces the loop);
//   without a redundant proxy the primary is retried at once, in state "registering" with lastError set.

export interface FailoverConfig {
  /** voip/line/0/enabled */
  enabled: boolean;
  /** host:port of the primary registrar, null when none is configured. */
  primary: string | null;
  /** host:port of the redundant proxy, null when redundancy is off or no address is set. */
  redundant: string | null;
  symmetric: boolean;
  /** redundant_proxy_ka_period in ms; 0 = no redundancy probing. */
  redundantKaMs: number;
  /** ka_options/timeout in ms when ka_options/enabled, else 0. */
  keepAliveMs: number;
  /** Requested registration expiry (proxy_timeout), s. */
  expiresS: number;
  retryDelayMs: number;
  /** Opaque identity/credential fingerprint: a change forces a new registration. */
  account: string;
}

export type FailoverEvent =
  | { type: "start" }
  | { type: "stop" }
  | { type: "configure"; config: FailoverConfig }
  | { type: "tick" }
  | { type: "registerResult"; tx: number; outcome: "ok"; expiresS: number; rttMs: number }
  | { type: "registerResult"; tx: number; outcome: "timeout" }
  | { type: "registerResult"; tx: number; outcome: "error"; message: string; rttMs?: number }
  | { type: "optionsResult"; tx: number; outcome: "ok"; rttMs: number }
  | { type: "optionsResult"; tx: number; outcome: "timeout" };

export type FailoverAction =
  | { type: "register"; tx: number; role: ProxyRole; address: string; expiresS: number }
  | { type: "unregister"; role: ProxyRole; address: string }
  | { type: "options"; tx: number; role: ProxyRole; address: string };

type RegisterPurpose = "initial" | "refresh" | "failback";

const MAX_TRANSITIONS = 50;
const ROLES: ProxyRole[] = ["primary", "redundant"];

function emptyHealth(): Omit<ProxyHealth, "address"> {
  return { reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null };
}

export class FailoverMachine {
  private config: FailoverConfig;
  private started = false;
  private state: RegistrationState = "unregistered";
  private proxy: ProxyRole | null = null;
  private since: number;
  private registeredAt: number | null = null;
  private expiresAt: number | null = null;
  private lastError: string | null = null;
  private transitions: Transition[] = [];
  private health: Record<ProxyRole, Omit<ProxyHealth, "address">> = { primary: emptyHealth(), redundant: emptyHealth() };

  private nextTx = 1;
  private registerTx: { tx: number; role: ProxyRole; purpose: RegisterPurpose } | null = null;
  private optionsTx: Record<ProxyRole, number | null> = { primary: null, redundant: null };
  private refreshAt: number | null = null;
  private probeAt: Record<ProxyRole, number | null> = { primary: null, redundant: null };
  private retry: { at: number; role: ProxyRole } | null = null;
  /** Bumped on every status-visible change, so the driver knows when to notify listeners. */
  revision = 0;

  constructor(config: FailoverConfig, now: number) {
    this.config = config;
    this.since = now;
  }

  handle(event: FailoverEvent, now: number): FailoverAction[] {
    const actions: FailoverAction[] = [];
    switch (event.type) {
      case "start":
        this.started = true;
        this.restart(now, actions, "phone started");
        break;
      case "stop":
        this.unregisterCurrent(actions);
        this.started = false;
        this.cancelAll();
        this.setState("unregistered", null, now, "phone stopped");
        break;
      case "configure":
        this.configure(event.config, now, actions);
        break;
      case "tick":
        this.tick(now, actions);
        break;
      case "registerResult":
        this.onRegisterResult(event, now, actions);
        break;
      case "optionsResult":
        this.onOptionsResult(event, now, actions);
        break;
    }
    return actions;
  }

  /** When the driver must call `handle({type:"tick"})` next, or null when nothing is scheduled. */
  nextWakeAt(): number | null {
    const times: number[] = [];
    if (this.retry) times.push(this.retry.at);
    if (this.refreshAt !== null && !this.registerTx) times.push(this.refreshAt);
    for (const role of ROLES) {
      const at = this.probeAt[role];
      if (at !== null && this.optionsTx[role] === null) times.push(at);
    }
    return times.length ? Math.min(...times) : null;
  }

  status(): SipStatus {
    const address = (role: ProxyRole) => this.addressOf(role);
    return {
      state: this.state,
      proxy: this.proxy,
      registrar: this.proxy ? address(this.proxy) : null,
      since: this.since,
      registeredAt: this.state === "registered" ? this.registeredAt : null,
      expiresAt: this.state === "registered" ? this.expiresAt : null,
      lastError: this.lastError,
      keepAlive: {
        primary: { address: address("primary"), ...this.health.primary },
        redundant: { address: address("redundant"), ...this.health.redundant },
      },
      transitions: this.transitions.map((t) => ({ ...t, from: { ...t.from }, to: { ...t.to } })),
    };
  }

  // ---- events -------------------------------------------------------------------------------------

  private configure(next: FailoverConfig, now: number, actions: FailoverAction[]): void {
    const prev = this.config;
    this.config = next;
    this.revision++;
    if (!this.started) return;
    const identityChanged = prev.account !== next.account || prev.expiresS !== next.expiresS || prev.enabled !== next.enabled;
    const proxiesChanged = prev.primary !== next.primary || prev.redundant !== next.redundant;
    const current = this.proxy;
    const currentMoved = current !== null && (current === "primary" ? prev.primary !== next.primary : prev.redundant !== next.redundant);
    if (identityChanged || currentMoved || (this.state !== "registered" && proxiesChanged)) {
      // Unregister with the old address: the binding lives at the proxy we registered to.
      if (this.state === "registered" && current) {
        const old = current === "primary" ? prev.primary : prev.redundant;
        if (old) actions.push({ type: "unregister", role: current, address: old });
      }
      this.restart(now, actions, "configuration changed", false);
      return;
    }
    // Only probing/mode settings changed (or a proxy we are not using): keep the registration.
    if (this.state === "registered" && current) this.scheduleProbes(current, now);
  }

  private tick(now: number, actions: FailoverAction[]): void {
    if (!this.started) return;
    if (this.retry && this.retry.at <= now) {
      const role = this.retry.role;
      this.retry = null;
      this.beginRegister(role, "initial", now, actions, `retrying ${role} after error`);
    }
    if (this.state === "registered" && this.proxy && !this.registerTx && this.refreshAt !== null && this.refreshAt <= now) {
      this.refreshAt = null;
      this.sendRegister(this.proxy, "refresh", actions);
    }
    for (const role of ROLES) {
      const at = this.probeAt[role];
      const address = this.addressOf(role);
      if (at !== null && at <= now && this.optionsTx[role] === null && address) {
        this.probeAt[role] = null;
        const tx = this.nextTx++;
        this.optionsTx[role] = tx;
        actions.push({ type: "options", tx, role, address });
      }
    }
  }

  private onRegisterResult(event: Extract<FailoverEvent, { type: "registerResult" }>, now: number, actions: FailoverAction[]): void {
    const pending = this.registerTx;
    if (!pending || pending.tx !== event.tx) return; // stale
    this.registerTx = null;
    const { role, purpose } = pending;
    const address = this.addressOf(role) ?? "?";

    if (event.outcome === "ok") {
      this.markHealth(role, true, now, event.rttMs);
      if (purpose === "failback") {
        const redundant = this.addressOf("redundant");
        if (redundant) actions.push({ type: "unregister", role: "redundant", address: redundant });
        this.setRegistered(role, event.expiresS, now, "primary answers again: failed back to primary");
      } else {
        this.setRegistered(role, event.expiresS, now, purpose === "refresh" ? "refreshed" : `registered to ${role} (${address})`);
      }
      return;
    }

    if (event.outcome === "timeout") {
      this.markHealth(role, false, now, null);
      if (purpose === "failback") {
        this.scheduleProbes(this.proxy ?? "redundant", now);
        return;
      }
      const what = purpose === "refresh" ? "REGISTER refresh" : "REGISTER";
      this.lastError = `${role} proxy ${address} did not answer ${what} (timeout)`;
      this.beginRegister(this.otherRole(role), "initial", now, actions, this.lastError);
      return;
    }

    // A final error response: the proxy is alive but refuses us.
    this.markHealth(role, true, now, event.rttMs ?? null);
    const message = `${role} proxy ${address} rejected REGISTER: ${event.message}`;
    this.lastError = message;
    if (purpose === "failback") {
      this.scheduleProbes(this.proxy ?? "redundant", now);
      this.revision++;
      return;
    }
    this.cancelSchedules();
    const retryRole = this.config.redundant && this.config.symmetric ? role : "primary";
    this.retry = { at: now + this.config.retryDelayMs, role: retryRole };
    this.setState("failed", role, now, message);
  }

  private onOptionsResult(event: Extract<FailoverEvent, { type: "optionsResult" }>, now: number, actions: FailoverAction[]): void {
    const role = ROLES.find((r) => this.optionsTx[r] === event.tx);
    if (!role) return; // stale
    this.optionsTx[role] = null;
    if (event.outcome === "ok") {
      this.markHealth(role, true, now, event.rttMs);
      const failback = this.state === "registered" && this.proxy === "redundant" && role === "primary" && !this.config.symmetric;
      if (failback && !this.registerTx) this.sendRegister("primary", "failback", actions);
      else if (this.state === "registered" && this.proxy) this.scheduleProbe(role, this.proxy, now);
      return;
    }
    this.markHealth(role, false, now, null);
    if (this.state === "registered" && role === this.proxy) {
      this.lastError = `${role} proxy ${this.addressOf(role)} did not answer OPTIONS (timeout)`;
      this.beginRegister(this.otherRole(role), "initial", now, actions, this.lastError);
    } else if (this.state === "registered" && this.proxy) {
      this.scheduleProbe(role, this.proxy, now);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** Start over from the primary (or stop at "unregistered" when the config allows no registration). */
  private restart(now: number, actions: FailoverAction[], reason: string, unregisterFirst = true): void {
    if (unregisterFirst) this.unregisterCurrent(actions);
    this.cancelAll();
    if (!this.config.enabled) {
      this.lastError = null;
      this.setState("unregistered", null, now, "line disabled");
      return;
    }
    if (!this.config.primary) {
      this.lastError = "No registrar configured";
      this.setState("unregistered", null, now, "no registrar configured");
      return;
    }
    this.lastError = null;
    this.beginRegister("primary", "initial", now, actions, reason);
  }

  private beginRegister(role: ProxyRole, purpose: RegisterPurpose, now: number, actions: FailoverAction[], reason: string): void {
    this.cancelSchedules();
    this.setState("registering", role, now, reason);
    this.sendRegister(role, purpose, actions);
  }

  private sendRegister(role: ProxyRole, purpose: RegisterPurpose, actions: FailoverAction[]): void {
    const address = this.addressOf(role);
    if (!address) return;
    const tx = this.nextTx++;
    this.registerTx = { tx, role, purpose };
    actions.push({ type: "register", tx, role, address, expiresS: this.config.expiresS });
  }

  private setRegistered(role: ProxyRole, expiresS: number, now: number, reason: string): void {
    const granted = expiresS > 0 ? expiresS : this.config.expiresS;
    if (this.state !== "registered" || this.proxy !== role) this.registeredAt = now;
    this.expiresAt = now + granted * 1000;
    this.refreshAt = now + (granted * 1000) / 2;
    this.lastError = null;
    this.retry = null;
    this.setState("registered", role, now, reason);
    this.revision++;
    this.scheduleProbes(role, now);
  }

  /** (Re)arms OPTIONS probing for the situation "registered to `current`". */
  private scheduleProbes(current: ProxyRole, now: number): void {
    for (const role of ROLES) this.probeAt[role] = null;
    for (const role of ROLES) this.scheduleProbe(role, current, now);
  }

  private scheduleProbe(role: ProxyRole, current: ProxyRole, now: number): void {
    const period = this.probePeriod(role, current);
    this.probeAt[role] = period > 0 && this.addressOf(role) ? now + period : null;
  }

  private probePeriod(role: ProxyRole, current: ProxyRole): number {
    const { redundant, symmetric, redundantKaMs, keepAliveMs } = this.config;
    if (!redundant) return role === "primary" && current === "primary" ? keepAliveMs : 0;
    if (role === current) {
      // Asymmetric on the redundant proxy probes only the primary (see header comment).
      if (current === "redundant" && !symmetric) return 0;
      return redundantKaMs > 0 ? redundantKaMs : keepAliveMs;
    }
    // The fail-back probe: only the primary, only in asymmetric mode.
    return role === "primary" && !symmetric ? redundantKaMs : 0;
  }

  private unregisterCurrent(actions: FailoverAction[]): void {
    if (this.state !== "registered" || !this.proxy) return;
    const address = this.addressOf(this.proxy);
    if (address) actions.push({ type: "unregister", role: this.proxy, address });
  }

  private cancelSchedules(): void {
    this.refreshAt = null;
    this.retry = null;
    this.probeAt = { primary: null, redundant: null };
  }

  private cancelAll(): void {
    this.cancelSchedules();
    this.registerTx = null;
    this.optionsTx = { primary: null, redundant: null };
  }

  private otherRole(role: ProxyRole): ProxyRole {
    if (!this.config.redundant) return "primary";
    return role === "primary" ? "redundant" : "primary";
  }

  private addressOf(role: ProxyRole): string | null {
    return role === "primary" ? this.config.primary : this.config.redundant;
  }

  private markHealth(role: ProxyRole, ok: boolean, now: number, rttMs: number | null): void {
    const h = this.health[role];
    h.reachable = ok;
    if (ok) {
      h.lastOkAt = now;
      if (rttMs !== null) h.rttMs = rttMs;
    } else h.lastFailAt = now;
    this.revision++;
  }

  private setState(state: RegistrationState, proxy: ProxyRole | null, now: number, reason: string): void {
    if (state !== "registered") {
      this.registeredAt = null;
      this.expiresAt = null;
    }
    if (state === this.state && proxy === this.proxy) {
      this.revision++;
      return;
    }
    this.transitions.unshift({ at: now, from: { state: this.state, proxy: this.proxy }, to: { state, proxy }, reason });
    if (this.transitions.length > MAX_TRANSITIONS) this.transitions.length = MAX_TRANSITIONS;
    this.state = state;
    this.proxy = proxy;
    this.since = now;
    this.revision++;
  }
}
