import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSipPhone } from "../../src/sip/phone";
import type { ConfigValues, SipPhone, SipStatus } from "../../src/sip/phone-contract";
import { Kamailio, kamailioAvailable } from "../support/kamailio";

// The emulated phone against REAL Kamailio registrars over UDP on loopback (127.40.0.0/16).
// T1 is shortened to 100 ms (transaction timeout 64·T1 = 6.4 s) and the keep-alive period to 1 s.
// Conditions are awaited by polling with generous deadlines; nothing asserts on speed.

const available = kamailioAvailable();
if (!available) {
  console.warn("\n*** SKIPPING Kamailio integration tests: /usr/sbin/kamailio (or kamcmd) is not installed. ***\n");
}

const SIP = "voip/signalling/sip/";
const PRIMARY = { host: "127.40.0.1", port: 5060 };
const REDUNDANT = { host: "127.40.0.2", port: 5060 };
const AUTH = { host: "127.40.0.3", port: 5070, authPassword: "s3cret-pass" };
const DEAD_A = { host: "127.40.0.8", port: 5060 }; // nothing listens here (until a test starts one)
const DEAD_B = { host: "127.40.0.9", port: 5060 };

function phoneConfig(user: string, primary: { host: string; port: number }, over: ConfigValues = {}): ConfigValues {
  return {
    [`${SIP}use_proxy`]: 1,
    [`${SIP}proxy_address`]: primary.host,
    [`${SIP}proxy_port`]: primary.port,
    [`${SIP}sip_t1`]: 100,
    [`${SIP}sip_t2`]: 400,
    [`${SIP}proxy_timeout`]: 60,
    "voip/line/0/id": user,
    ...over,
  };
}

function withRedundant(symmetric: 0 | 1, redundant = REDUNDANT): ConfigValues {
  return {
    [`${SIP}redundant/use_redundant_proxy`]: 1,
    [`${SIP}redundant/redundant_proxy_address`]: redundant.host,
    [`${SIP}redundant/redundant_proxy_port`]: redundant.port,
    [`${SIP}redundant/redundant_proxy_ka_period`]: 1,
    [`${SIP}redundant/redundant_proxy_is_symmetric`]: symmetric,
  };
}

const phones: SipPhone[] = [];
async function startPhone(ip: string, config: ConfigValues): Promise<SipPhone> {
  const phone = createSipPhone({ localAddress: ip, localPort: 5060, config });
  phones.push(phone);
  await phone.start();
  return phone;
}

async function waitFor(phone: SipPhone, what: string, cond: (s: SipStatus) => boolean, timeoutMs = 30_000): Promise<SipStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = phone.status();
    if (cond(status)) return status;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}; phone status: ${JSON.stringify({ ...status, transitions: status.transitions.slice(0, 6) }, null, 1)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const on = (state: SipStatus["state"], proxy: SipStatus["proxy"]) => (s: SipStatus) => s.state === state && s.proxy === proxy;

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!available)("SIP phone against Kamailio", () => {
  const primary = new Kamailio(PRIMARY);
  const redundant = new Kamailio(REDUNDANT);
  const auth = new Kamailio(AUTH);

  beforeAll(async () => {
    await Promise.all([primary.start(), redundant.start(), auth.start()]);
  });

  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.stop()));
    // A test may have stopped a registrar; the next one expects both up.
    await Promise.all([primary.start(), redundant.start()]);
  });

  afterAll(async () => {
    await Promise.all(phones.splice(0).map((p) => p.stop()));
    await Promise.all([primary.dispose(), redundant.dispose(), auth.dispose()]);
  });

  it("registers to the primary; Kamailio's location table agrees, and stop() unregisters", async () => {
    const phone = await startPhone("127.40.1.1", phoneConfig("3001", PRIMARY));
    const status = await waitFor(phone, "registered to primary", on("registered", "primary"));
    expect(status.registrar).toBe("127.40.0.1:5060");
    expect(status.expiresAt! - status.registeredAt!).toBe(60_000);
    expect(status.keepAlive.primary).toMatchObject({ reachable: true, address: "127.40.0.1:5060" });
    expect(await primary.contacts("3001")).toEqual(["sip:3001@127.40.1.1:5060"]);
    expect(await primary.dump()).toContain("sip:3001@127.40.1.1:5060");
    expect(await redundant.contacts("3001")).toEqual([]);
    await phone.stop();
    expect(phone.status().state).toBe("unregistered");
    await eventually("the binding is removed", async () => (await primary.contacts("3001")).length === 0);
  });

  it("registers with digest authentication, and reports wrong credentials", async () => {
    const config = phoneConfig("3002", AUTH, { "voip/line/0/auth_password": AUTH.authPassword });
    const good = await startPhone("127.40.1.2", config);
    await waitFor(good, "registered with auth", on("registered", "primary"));
    expect(await auth.contacts("3002")).toEqual(["sip:3002@127.40.1.2:5060"]);

    const bad = await startPhone("127.40.1.3", phoneConfig("3003", AUTH, { "voip/line/0/auth_password": "wrong" }));
    const failed = await waitFor(bad, "failed", (s) => s.state === "failed");
    expect(failed.lastError).toMatch(/rejected REGISTER: authentication failed \(401 Unauthorized\) for user 3003/);
    expect(await auth.contacts("3003")).toEqual([]);
  });

  it("fails over when the primary stops; asymmetric fails back when it returns, symmetric stays", async () => {
    const asym = await startPhone("127.40.1.4", phoneConfig("3004", PRIMARY, withRedundant(0)));
    const sym = await startPhone("127.40.1.5", phoneConfig("3005", PRIMARY, withRedundant(1)));
    await waitFor(asym, "asym registered to primary", on("registered", "primary"));
    await waitFor(sym, "sym registered to primary", on("registered", "primary"));

    await primary.stop();
    const asymOver = await waitFor(asym, "asym failover", on("registered", "redundant"));
    const symOver = await waitFor(sym, "sym failover", on("registered", "redundant"));
    for (const s of [asymOver, symOver]) {
      expect(s.registrar).toBe("127.40.0.2:5060");
      expect(s.keepAlive.primary.reachable).toBe(false);
      expect(s.transitions.find((t) => t.to.proxy === "redundant" && t.to.state === "registering")?.reason).toMatch(
        /primary proxy 127\.40\.0\.1:5060 did not answer (OPTIONS|REGISTER)/,
      );
    }
    expect(await redundant.contacts("3004")).toEqual(["sip:3004@127.40.1.4:5060"]);
    expect(await redundant.contacts("3005")).toEqual(["sip:3005@127.40.1.5:5060"]);

    await primary.start(); // a fresh Kamailio: empty location table
    const back = await waitFor(asym, "asym failback", on("registered", "primary"));
    expect(back.transitions[0].reason).toMatch(/failed back to primary/);
    expect(await primary.contacts("3004")).toEqual(["sip:3004@127.40.1.4:5060"]);
    await eventually("the asym phone left the redundant proxy", async () => (await redundant.contacts("3004")).length === 0);

    // The asymmetric phone has seen the primary answer again; the symmetric one has not moved nor probed it.
    const symNow = sym.status();
    expect(symNow).toMatchObject({ state: "registered", proxy: "redundant" });
    expect(symNow.since).toBe(symOver.since);
    expect(symNow.keepAlive.primary.lastOkAt).toBe(symOver.keepAlive.primary.lastOkAt);
    expect(symNow.keepAlive.redundant.reachable).toBe(true);
    expect(await primary.contacts("3005")).toEqual([]);
    expect(await redundant.contacts("3005")).toEqual(["sip:3005@127.40.1.5:5060"]);
  });

  it("alternates between the proxies while neither answers, then registers to the one that comes up", async () => {
    const late = new Kamailio(DEAD_B);
    try {
      const phone = await startPhone("127.40.1.6", phoneConfig("3006", DEAD_A, withRedundant(0, DEAD_B)));
      const alternating = await waitFor(
        phone,
        "two switches",
        (s) => s.transitions.filter((t) => t.to.state === "registering").length >= 3,
        45_000,
      );
      const tried = alternating.transitions.filter((t) => t.to.state === "registering").map((t) => t.to.proxy).reverse();
      expect(tried.slice(0, 3)).toEqual(["primary", "redundant", "primary"]);
      expect(alternating.state).toBe("registering");
      expect(alternating.lastError).toMatch(/did not answer REGISTER \(timeout\)/);

      await late.start();
      await waitFor(phone, "registered to the redundant proxy", on("registered", "redundant"), 45_000);
      expect(await late.contacts("3006")).toEqual(["sip:3006@127.40.1.6:5060"]);
    } finally {
      await late.dispose();
    }
  });

  it("re-registers when updateConfig changes the proxy address, and unregisters from the old one", async () => {
    const phone = await startPhone("127.40.1.7", phoneConfig("3007", PRIMARY));
    await waitFor(phone, "registered to primary", on("registered", "primary"));
    const before = phone.status();

    // A change that does not concern registration keeps the binding untouched.
    phone.updateConfig(phoneConfig("3007", PRIMARY, { "voip/dial_timeout": 9 }));
    expect(phone.status().since).toBe(before.since);

    phone.updateConfig(phoneConfig("3007", REDUNDANT));
    await waitFor(phone, "registered to the new address", (s) => s.state === "registered" && s.registrar === "127.40.0.2:5060");
    expect(await redundant.contacts("3007")).toEqual(["sip:3007@127.40.1.7:5060"]);
    await eventually("the old binding is removed", async () => (await primary.contacts("3007")).length === 0);
  });

  it("partitioning the phone from its primary fails over, like a dead proxy", async () => {
    const phone = await startPhone("127.40.1.8", phoneConfig("3008", PRIMARY, withRedundant(0)));
    await waitFor(phone, "registered to primary", on("registered", "primary"));
    phone.setPartition("primary", true);
    await waitFor(phone, "failover", on("registered", "redundant"));
    phone.setPartition("primary", false);
    await waitFor(phone, "failback", on("registered", "primary"));
    expect(await primary.contacts("3008")).toEqual(["sip:3008@127.40.1.8:5060"]);
  });
});
