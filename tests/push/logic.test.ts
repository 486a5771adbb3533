// The push pipeline's pure decisions: what is sent, what verifies, what is drift, what a snapshot holds.
import { describe, expect, it } from "vitest";
import { defaultConfig } from "@/lib/params";
import {
  changesBetween,
  computeDrift,
  concurrentChanges,
  desiredFromDevice,
  nextBaseline,
  ownPushLanding,
  pendingKeys,
  snapshotValues,
  valuesToSend,
  verifyReadBack,
} from "@/lib/push/logic";

const SIP = "voip/signalling/sip";
const LOCAL_PORT = `${SIP}/port`;
const USE_R = `${SIP}/redundant/use_redundant_proxy`;
const R_PORT = `${SIP}/redundant/redundant_proxy_port`;
const PW = "voip/line/0/auth_password";
const base = () => ({ ...defaultConfig() });

describe("valuesToSend", () => {
  it("sends only the requested keys whose device value differs", () => {
    const desired = { ...base(), [LOCAL_PORT]: 5070, [`${SIP}/auth_retries`]: 3 };
    const device = { ...base(), [`${SIP}/auth_retries`]: 3 };
    expect(valuesToSend(desired, device, [LOCAL_PORT, `${SIP}/auth_retries`])).toEqual({ [LOCAL_PORT]: 5070 });
  });
  it("sends inapplicable keys too (the phone keeps them until they apply); sends a requested secret although the device shows only a mask", () => {
    const desired = { ...base(), [USE_R]: 0, [R_PORT]: 5090, [PW]: "x" };
    expect(valuesToSend(desired, { ...base(), [PW]: "********" }, [R_PORT, PW])).toEqual({ [R_PORT]: 5090, [PW]: "x" });
    expect(valuesToSend({ ...desired, [USE_R]: 1, [`${SIP}/redundant/redundant_proxy_address`]: "b.example" }, base(), [R_PORT])).toEqual({ [R_PORT]: 5090 });
  });
});

describe("pendingKeys", () => {
  it("are the keys where desired differs from the baseline, applicable or not, secrets compared in clear", () => {
    const baseline = { ...base(), [PW]: "old" };
    expect(pendingKeys({ ...baseline, [LOCAL_PORT]: 5070, [PW]: "new", [R_PORT]: 6000 }, baseline).sort()).toEqual([LOCAL_PORT, PW, R_PORT].sort());
    expect(pendingKeys(baseline, baseline)).toEqual([]);
  });
  it("without a baseline, are the values that differ from the catalog defaults", () => {
    expect(pendingKeys({ ...base(), [LOCAL_PORT]: 5070 }, null)).toEqual([LOCAL_PORT]);
  });
});

describe("verifyReadBack", () => {
  it("is empty when every sent non-secret value reads back; lists mismatches otherwise", () => {
    expect(verifyReadBack({ [LOCAL_PORT]: 5070, [PW]: "x" }, { [LOCAL_PORT]: 5070, [PW]: "********" })).toEqual({});
    expect(verifyReadBack({ [LOCAL_PORT]: 5070 }, { [LOCAL_PORT]: 5060 })).toEqual({ [LOCAL_PORT]: { expected: 5070, actual: 5060 } });
    expect(verifyReadBack({ [LOCAL_PORT]: 5070 }, {})).toEqual({ [LOCAL_PORT]: { expected: 5070, actual: null } });
  });
});

describe("computeDrift", () => {
  it("lists keys where the device differs from the baseline, ignoring secrets, also keys that do not apply (they are sent and kept too)", () => {
    const baseline = { ...base(), [PW]: "s" };
    const device = { ...base(), [LOCAL_PORT]: 5071, [PW]: "********", [R_PORT]: 6000 };
    expect(computeDrift(baseline, device)).toEqual({ [LOCAL_PORT]: { expected: 5060, actual: 5071 }, [R_PORT]: { expected: 5060, actual: 6000 } });
  });
  it("judges a dependent key once either side makes it applicable; no baseline means no drift", () => {
    const device = { ...base(), [USE_R]: 1, [R_PORT]: 6000 };
    expect(Object.keys(computeDrift(base(), device)).sort()).toEqual([R_PORT, USE_R].sort());
    expect(computeDrift(null, device)).toEqual({});
  });
});

describe("ownPushLanding (a background read sees a push arrive before the push recorded it)", () => {
  const stored = (over: Partial<{ state: string; deviceRevision: number | null }> = {}) => ({
    state: "pending_push",
    values: { ...base(), [LOCAL_PORT]: 5070 },
    baseline: base(),
    deviceRevision: 7,
    ...over,
  });
  const landed = { revision: 8, values: { ...base(), [LOCAL_PORT]: 5070 } };
  it("a newer revision holding exactly the saved edit where it differs from the baseline is the push landing", () => {
    expect(ownPushLanding(stored(), landed)).toBe(true);
  });
  it("anything else is the phone's own: another value, another key, the same or an older revision, no edit in flight, never read", () => {
    expect(ownPushLanding(stored(), { revision: 8, values: { ...base(), [LOCAL_PORT]: 5071 } })).toBe(false);
    expect(ownPushLanding(stored(), { revision: 8, values: { ...landed.values, [`${SIP}/auth_retries`]: 9 } })).toBe(false);
    expect(ownPushLanding(stored(), { ...landed, revision: 7 })).toBe(false);
    expect(ownPushLanding(stored({ state: "in_sync" }), landed)).toBe(false);
    expect(ownPushLanding(stored({ state: "push_failed" }), landed)).toBe(false);
    expect(ownPushLanding(stored({ deviceRevision: null }), landed)).toBe(false);
    expect(ownPushLanding(stored(), { revision: 8, values: base() })).toBe(false); // nothing differs: an ordinary read
  });
});

describe("concurrentChanges", () => {
  it("flags keys that moved since the basis was read, never secrets", () => {
    const basis = { [LOCAL_PORT]: 5060, [PW]: "********" };
    expect(concurrentChanges(basis, { [LOCAL_PORT]: 5099, [PW]: "" }, [LOCAL_PORT, PW])).toEqual({ [LOCAL_PORT]: { expected: 5060, actual: 5099 } });
    expect(concurrentChanges(basis, { [LOCAL_PORT]: 5060 }, [LOCAL_PORT])).toEqual({});
  });
});

describe("snapshots and baselines", () => {
  it("snapshot values mask secrets and drop read-only status", () => {
    const snap = snapshotValues({ [LOCAL_PORT]: 5060, [PW]: "leaked?", [`${SIP}/redundant/is_redundant_proxy`]: 1 });
    expect(snap).toEqual({ [LOCAL_PORT]: 5060, [PW]: "********" });
    expect(snapshotValues({ [PW]: "" })).toEqual({ [PW]: "" });
  });
  it("changesBetween lists from/to per changed key", () => {
    expect(changesBetween({ a: 1, b: 2 }, { a: 1, b: 3, c: 4 })).toEqual({ b: { from: 2, to: 3 }, c: { from: null, to: 4 } });
    expect(changesBetween(null, { a: 1 })).toEqual({ a: { from: null, to: 1 } });
  });
  it("desiredFromDevice keeps editable non-secret keys; nextBaseline adds what was sent", () => {
    const device = { [LOCAL_PORT]: 5060, [PW]: "********", [`${SIP}/redundant/is_redundant_proxy`]: 0 };
    expect(desiredFromDevice(device)).toEqual({ [LOCAL_PORT]: 5060 });
    expect(nextBaseline(null, device, { [PW]: "n" })).toEqual({ [LOCAL_PORT]: 5060, [PW]: "n" });
    expect(nextBaseline({ [LOCAL_PORT]: 5061 }, device, { [LOCAL_PORT]: 5062 })).toEqual({ [LOCAL_PORT]: 5062 });
  });
});
