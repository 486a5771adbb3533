import { describe, expect, it } from "vitest";
import { applyProbe, countPhones, proxyUsesOf, reachChange, unknownProxy } from "./model";

const SIP = "voip/signalling/sip";
describe("proxyUsesOf", () => {
  it("lists only the proxies that apply, port 5060 when absent, and skips 0.0.0.0", () => {
    expect(
      proxyUsesOf({
        [`${SIP}/use_proxy`]: 1,
        [`${SIP}/proxy_address`]: "PBX.example.com",
        [`${SIP}/sip_registrar/enabled`]: 0,
        [`${SIP}/sip_registrar/addr`]: "10.0.0.9",
        [`${SIP}/sip_outbound_proxy/enabled`]: 1,
        [`${SIP}/sip_outbound_proxy/addr`]: "10.0.0.7",
        [`${SIP}/sip_outbound_proxy/port`]: 5070,
        [`${SIP}/redundant/use_redundant_proxy`]: 1,
        [`${SIP}/redundant/redundant_proxy_address`]: "0.0.0.0",
      }),
    ).toEqual([
      { use: "primary", address: "pbx.example.com:5060" },
      { use: "outbound", address: "10.0.0.7:5070" },
    ]);
    expect(proxyUsesOf({})).toEqual([]);
  });
});

describe("countPhones", () => {
  it("counts uses and current registrations per address", () => {
    const m = countPhones([
      { id: "a", uses: [{ use: "primary", address: "p:5060" }, { use: "redundant", address: "r:5060" }], registeredVia: "p:5060" },
      { id: "b", uses: [{ use: "primary", address: "p:5060" }, { use: "redundant", address: "r:5060" }], registeredVia: "r:5060" },
      { id: "c", uses: [{ use: "primary", address: "p:5060" }], registeredVia: null },
    ]);
    expect(Object.fromEntries(m)).toEqual({
      "p:5060": { primary: 3, redundant: 0, registrar: 0, outbound: 0, registeredNow: 1 },
      "r:5060": { primary: 0, redundant: 2, registrar: 0, outbound: 0, registeredNow: 1 },
    });
  });
});

describe("applyProbe", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 20, 0, s));
  it("goes up, stays up without a transition, goes down with the probe's reason, comes back", () => {
    const first = applyProbe(unknownProxy(), { ok: true, rttMs: 1.4, status: 200 }, t(0));
    expect(first.transition).toEqual({ up: true, reason: "answered OPTIONS (200) in 1 ms" });
    const again = applyProbe(first.next, { ok: true, rttMs: 2, status: 200 }, t(10));
    expect(again.transition).toBeNull();
    expect(again.next).toEqual({ up: true, rttMs: 2, checkedAt: t(10), since: t(0), lastError: null });
    const down = applyProbe(again.next, { ok: false, reason: "no answer" }, t(20));
    expect(down.transition).toEqual({ up: false, reason: "no answer" });
    expect(down.next).toMatchObject({ up: false, rttMs: null, since: t(20), lastError: "no answer" });
    expect(applyProbe(down.next, { ok: false, reason: "no answer" }, t(30)).transition).toBeNull();
    expect(applyProbe(down.next, { ok: true, rttMs: 1, status: 404 }, t(40)).transition?.up).toBe(true);
  });
});

describe("reachChange (phones without a status interface)", () => {
  const down = { ok: false as const, reason: "no answer" };
  const up = { ok: true as const, rttMs: 3, status: 200 };
  it("stores unreachable once, clears it once when the phone answers, never invents a state", () => {
    expect(reachChange(null, down)).toBe("write");
    expect(reachChange("unreachable", down)).toBeNull();
    expect(reachChange("unreachable", up)).toBe("clear");
    expect(reachChange(null, up)).toBeNull();
    // A row left from another driver (the phone was switched to provisioning) is not current: it goes too.
    expect(reachChange("registered", up)).toBe("clear");
    expect(reachChange("registered", down)).toBe("write");
  });
});
