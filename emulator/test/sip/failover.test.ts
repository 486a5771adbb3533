import { describe, expect, it } from "vitest";
import { type FailoverAction, type FailoverConfig, type FailoverEvent, FailoverMachine } from "../../src/sip/failover";

// The failover state machine driven by a fake clock: every rule of the guide, plus our documented choices.

const P = "10.0.0.1:5060";
const R = "10.0.0.2:5070";

function config(over: Partial<FailoverConfig> = {}): FailoverConfig {
  return {
    enabled: true,
    primary: P,
    redundant: R,
    symmetric: false,
    redundantKaMs: 2000,
    keepAliveMs: 0,
    expiresS: 60,
    retryDelayMs: 5000,
    account: "1001",
    ...over,
  };
}

class Harness {
  now = 1_000_000;
  readonly machine: FailoverMachine;
  constructor(cfg: FailoverConfig) {
    this.machine = new FailoverMachine(cfg, this.now);
  }
  send(event: FailoverEvent): FailoverAction[] {
    return this.machine.handle(event, this.now);
  }
  /** Moves the clock forward, firing every due wake-up on the way; returns the actions they produced. */
  advance(ms: number): FailoverAction[] {
    const end = this.now + ms;
    const out: FailoverAction[] = [];
    for (let wake = this.machine.nextWakeAt(); wake !== null && wake <= end; wake = this.machine.nextWakeAt()) {
      this.now = Math.max(this.now, wake);
      out.push(...this.send({ type: "tick" }));
    }
    this.now = end;
    return out;
  }
  get state() {
    const s = this.machine.status();
    return { state: s.state, proxy: s.proxy };
  }
}

function only<T extends FailoverAction["type"]>(actions: FailoverAction[], type: T): Extract<FailoverAction, { type: T }> {
  const matching = actions.filter((a) => a.type === type);
  expect(matching, `expected exactly one ${type} in ${JSON.stringify(actions)}`).toHaveLength(1);
  return matching[0] as Extract<FailoverAction, { type: T }>;
}

function ok(tx: number, expiresS = 60): FailoverEvent {
  return { type: "registerResult", tx, outcome: "ok", expiresS, rttMs: 3 };
}
const regTimeout = (tx: number): FailoverEvent => ({ type: "registerResult", tx, outcome: "timeout" });
const optOk = (tx: number): FailoverEvent => ({ type: "optionsResult", tx, outcome: "ok", rttMs: 2 });
const optTimeout = (tx: number): FailoverEvent => ({ type: "optionsResult", tx, outcome: "timeout" });

/** Starts a machine and registers it to the primary. */
function registeredToPrimary(cfg: FailoverConfig): Harness {
  const h = new Harness(cfg);
  const reg = only(h.send({ type: "start" }), "register");
  expect(reg).toMatchObject({ role: "primary", address: P, expiresS: cfg.expiresS });
  h.send(ok(reg.tx));
  expect(h.state).toEqual({ state: "registered", proxy: "primary" });
  return h;
}

describe("failover state machine", () => {
  it("without a registrar stays unregistered with a clear error", () => {
    const h = new Harness(config({ primary: null }));
    expect(h.send({ type: "start" })).toEqual([]);
    expect(h.machine.status()).toMatchObject({ state: "unregistered", lastError: "No registrar configured" });
    expect(h.machine.nextWakeAt()).toBeNull();
  });

  it("with the line disabled stays unregistered", () => {
    const h = new Harness(config({ enabled: false }));
    expect(h.send({ type: "start" })).toEqual([]);
    expect(h.machine.status()).toMatchObject({ state: "unregistered", lastError: null });
  });

  it("use_redundant_proxy=0: registers only to the primary and keeps retrying it", () => {
    const h = new Harness(config({ redundant: null }));
    let reg = only(h.send({ type: "start" }), "register");
    for (let i = 0; i < 3; i++) {
      expect(reg.role).toBe("primary");
      reg = only(h.send(regTimeout(reg.tx)), "register");
      expect(h.machine.status()).toMatchObject({ state: "registering", proxy: "primary" });
      expect(h.machine.status().lastError).toMatch(/primary proxy 10\.0\.0\.1:5060 did not answer REGISTER \(timeout\)/);
    }
    expect(reg).toMatchObject({ role: "primary", address: P });
    h.send(ok(reg.tx));
    expect(h.machine.status()).toMatchObject({ state: "registered", proxy: "primary", lastError: null });
    // Without redundancy and ka_options there is no OPTIONS probing at all.
    expect(h.advance(29_000).filter((a) => a.type === "options")).toEqual([]);
  });

  it("refreshes the registration at half of the granted expiry", () => {
    const h = registeredToPrimary(config({ redundantKaMs: 0 }));
    const registeredAt = h.now;
    expect(h.machine.status().expiresAt).toBe(registeredAt + 60_000);
    expect(h.advance(29_999)).toEqual([]);
    const refresh = only(h.advance(1), "register");
    expect(refresh).toMatchObject({ role: "primary", address: P });
    h.now += 10;
    h.send(ok(refresh.tx, 40)); // the registrar may grant less than asked
    const s = h.machine.status();
    expect(s).toMatchObject({ state: "registered", proxy: "primary", registeredAt, expiresAt: h.now + 40_000 });
    expect(only(h.advance(20_000), "register").role).toBe("primary");
  });

  it("a refresh that times out counts as 'not answering' and moves to the other proxy", () => {
    const h = registeredToPrimary(config({ redundantKaMs: 0 }));
    const refresh = only(h.advance(30_000), "register");
    const next = only(h.send(regTimeout(refresh.tx)), "register");
    expect(next).toMatchObject({ role: "redundant", address: R });
    expect(h.machine.status().transitions[0]).toMatchObject({
      from: { state: "registered", proxy: "primary" },
      to: { state: "registering", proxy: "redundant" },
      reason: expect.stringContaining("did not answer REGISTER refresh"),
    });
  });

  it("asymmetric: keep-alives to the primary, failover on timeout, probing of the primary, failback", () => {
    const h = registeredToPrimary(config());
    // OPTIONS keep-alive to the primary every redundant_proxy_ka_period.
    const ka1 = only(h.advance(2000), "options");
    expect(ka1).toMatchObject({ role: "primary", address: P });
    h.send(optOk(ka1.tx));
    expect(h.machine.status().keepAlive.primary).toMatchObject({ reachable: true, rttMs: 2, address: P });
    const ka2 = only(h.advance(2000), "options");
    expect(ka2.role).toBe("primary");

    // The primary stops answering: register to the redundant proxy.
    const failover = only(h.send(optTimeout(ka2.tx)), "register");
    expect(failover).toMatchObject({ role: "redundant", address: R });
    expect(h.machine.status()).toMatchObject({ state: "registering", proxy: "redundant" });
    expect(h.machine.status().transitions[0].reason).toMatch(/primary proxy 10\.0\.0\.1:5060 did not answer OPTIONS \(timeout\)/);
    expect(h.machine.status().keepAlive.primary).toMatchObject({ reachable: false, lastFailAt: h.now });
    h.send(ok(failover.tx));
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });

    // Still probing the primary (only the primary); while it is silent nothing changes.
    const probe1 = only(h.advance(2000), "options");
    expect(probe1.role).toBe("primary");
    expect(h.send(optTimeout(probe1.tx))).toEqual([]);
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });

    // It answers again: re-register to it, and stay on the redundant proxy until it accepts.
    const probe2 = only(h.advance(2000), "options");
    expect(probe2.role).toBe("primary");
    const failback = only(h.send(optOk(probe2.tx)), "register");
    expect(failback).toMatchObject({ role: "primary", address: P });
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });
    const after = h.send(ok(failback.tx));
    expect(only(after, "unregister")).toMatchObject({ role: "redundant", address: R });
    expect(h.state).toEqual({ state: "registered", proxy: "primary" });
    expect(h.machine.status().transitions[0].reason).toMatch(/failed back to primary/);
  });

  it("asymmetric: a rejected failback keeps the redundant registration and keeps probing", () => {
    const h = registeredToPrimary(config());
    const ka = only(h.advance(2000), "options");
    h.send(ok(only(h.send(optTimeout(ka.tx)), "register").tx));
    const probe = only(h.advance(2000), "options");
    const failback = only(h.send(optOk(probe.tx)), "register");
    h.send({ type: "registerResult", tx: failback.tx, outcome: "error", message: "503 Service Unavailable" });
    expect(h.machine.status()).toMatchObject({ state: "registered", proxy: "redundant" });
    expect(h.machine.status().lastError).toMatch(/503/);
    expect(only(h.advance(2000), "options").role).toBe("primary");
  });

  it("symmetric: probes only the current proxy and stays on the redundant one", () => {
    const h = registeredToPrimary(config({ symmetric: true }));
    const ka = only(h.advance(2000), "options");
    expect(ka.role).toBe("primary");
    const failover = only(h.send(optTimeout(ka.tx)), "register");
    h.send(ok(failover.tx));
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });
    // Probes go to the redundant proxy only; the primary is never asked, so no failback happens.
    for (let i = 0; i < 5; i++) {
      const probe = only(h.advance(2000), "options");
      expect(probe).toMatchObject({ role: "redundant", address: R });
      expect(h.send(optOk(probe.tx))).toEqual([]);
    }
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });
    // Only when the redundant proxy stops answering does it switch (back) to the primary.
    const probe = only(h.advance(2000), "options");
    expect(only(h.send(optTimeout(probe.tx)), "register")).toMatchObject({ role: "primary", address: P });
  });

  it("alternates between the proxies while neither answers, until one accepts", () => {
    const h = new Harness(config());
    let reg = only(h.send({ type: "start" }), "register");
    const roles: string[] = [reg.role];
    for (let i = 0; i < 5; i++) {
      reg = only(h.send(regTimeout(reg.tx)), "register");
      roles.push(reg.role);
      expect(h.machine.status()).toMatchObject({ state: "registering", proxy: reg.role });
    }
    expect(roles).toEqual(["primary", "redundant", "primary", "redundant", "primary", "redundant"]);
    h.send(ok(reg.tx));
    expect(h.state).toEqual({ state: "registered", proxy: "redundant" });
    expect(h.machine.status().keepAlive.primary.reachable).toBe(false);
  });

  it("a final error (e.g. failed authentication) → failed with lastError, retried later", () => {
    const h = new Harness(config());
    const reg = only(h.send({ type: "start" }), "register");
    const msg = "authentication failed (401 Unauthorized) for user 1001";
    expect(h.send({ type: "registerResult", tx: reg.tx, outcome: "error", message: msg })).toEqual([]);
    const s = h.machine.status();
    expect(s).toMatchObject({ state: "failed", proxy: "primary", registrar: P });
    expect(s.lastError).toBe(`primary proxy ${P} rejected REGISTER: ${msg}`);
    // The proxy answered, so it is reachable; it is not a reason to fail over.
    expect(s.keepAlive.primary.reachable).toBe(true);
    expect(h.advance(4999)).toEqual([]);
    const retry = only(h.advance(1), "register");
    expect(retry.role).toBe("primary");
    expect(h.state).toEqual({ state: "registering", proxy: "primary" });
    h.send(ok(retry.tx));
    expect(h.machine.status()).toMatchObject({ state: "registered", lastError: null });
  });

  it("generic ka_options keep-alive without redundancy re-registers when the primary goes silent", () => {
    const h = registeredToPrimary(config({ redundant: null, keepAliveMs: 3000 }));
    const ka = only(h.advance(3000), "options");
    expect(ka.role).toBe("primary");
    expect(only(h.send(optTimeout(ka.tx)), "register")).toMatchObject({ role: "primary" });
    expect(h.state).toEqual({ state: "registering", proxy: "primary" });
  });

  it("redundant_proxy_ka_period = 0 disables OPTIONS probing", () => {
    const h = registeredToPrimary(config({ redundantKaMs: 0 }));
    expect(h.advance(29_000)).toEqual([]);
  });

  describe("config change mid-way", () => {
    it("a new primary address unregisters the old binding and registers to the new one", () => {
      const h = registeredToPrimary(config());
      const actions = h.send({ type: "configure", config: config({ primary: "10.0.0.3:5060" }) });
      expect(only(actions, "unregister")).toMatchObject({ role: "primary", address: P });
      expect(only(actions, "register")).toMatchObject({ role: "primary", address: "10.0.0.3:5060" });
      expect(h.machine.status()).toMatchObject({ state: "registering", registrar: "10.0.0.3:5060" });
    });

    it("a keep-alive period change keeps the registration and reschedules probes", () => {
      const h = registeredToPrimary(config());
      expect(h.send({ type: "configure", config: config({ redundantKaMs: 5000 }) })).toEqual([]);
      expect(h.state).toEqual({ state: "registered", proxy: "primary" });
      expect(h.advance(4999)).toEqual([]);
      expect(only(h.advance(1), "options").role).toBe("primary");
    });

    it("a new password re-registers; results of the old transaction are ignored", () => {
      const h = new Harness(config());
      const first = only(h.send({ type: "start" }), "register");
      const second = only(h.send({ type: "configure", config: config({ account: "1001/new-password" }) }), "register");
      expect(h.send(ok(first.tx))).toEqual([]);
      expect(h.state).toEqual({ state: "registering", proxy: "primary" });
      h.send(ok(second.tx));
      expect(h.state).toEqual({ state: "registered", proxy: "primary" });
    });

    it("removing the registrar unregisters", () => {
      const h = registeredToPrimary(config());
      const actions = h.send({ type: "configure", config: config({ primary: null, redundant: null }) });
      expect(only(actions, "unregister").address).toBe(P);
      expect(h.machine.status()).toMatchObject({ state: "unregistered", lastError: "No registrar configured" });
    });

    it("switching to symmetric while on the redundant proxy stops the failback probing", () => {
      const h = registeredToPrimary(config());
      const ka = only(h.advance(2000), "options");
      h.send(ok(only(h.send(optTimeout(ka.tx)), "register").tx));
      expect(h.send({ type: "configure", config: config({ symmetric: true }) })).toEqual([]);
      expect(only(h.advance(2000), "options").role).toBe("redundant");
    });
  });

  it("stop unregisters from the current proxy and ignores late results", () => {
    const h = registeredToPrimary(config());
    const ka = only(h.advance(2000), "options");
    expect(only(h.send({ type: "stop" }), "unregister").address).toBe(P);
    expect(h.send(optTimeout(ka.tx))).toEqual([]);
    expect(h.machine.status()).toMatchObject({ state: "unregistered", proxy: null });
    expect(h.machine.nextWakeAt()).toBeNull();
  });
});
