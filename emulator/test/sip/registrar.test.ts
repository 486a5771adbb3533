import { afterEach, describe, expect, it } from "vitest";
import { createSipPhone } from "../../src/sip/phone";
import type { ConfigValues, SipPhone, SipStatus } from "../../src/sip/phone-contract";
import { DemoRegistrar } from "../../src/sip/registrar";

// The demo registrar (used by `npm run demo` without Kamailio), exercised by the real phone over UDP.

const SIP = "voip/signalling/sip/";
const started: Array<{ stop(): Promise<void> }> = [];

afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function registrar(opts: ConstructorParameters<typeof DemoRegistrar>[0]): Promise<DemoRegistrar> {
  const r = new DemoRegistrar(opts);
  await r.start();
  started.push(r);
  return r;
}

async function phone(ip: string, registrarPort: number, user: string, password = "", over: ConfigValues = {}): Promise<SipPhone> {
  const p = createSipPhone({
    localAddress: ip,
    config: {
      [`${SIP}sip_registrar/enabled`]: 1,
      [`${SIP}sip_registrar/addr`]: "127.40.3.1",
      [`${SIP}sip_registrar/port`]: registrarPort,
      [`${SIP}sip_t1`]: 100,
      [`${SIP}proxy_timeout`]: 120,
      "voip/line/0/id": user,
      "voip/line/0/auth_password": password,
      ...over,
    },
  });
  await p.start();
  started.push(p);
  return p;
}

async function until(p: SipPhone, cond: (s: SipStatus) => boolean): Promise<SipStatus> {
  const deadline = Date.now() + 20_000;
  while (!cond(p.status())) {
    if (Date.now() > deadline) throw new Error(`condition not reached; status ${JSON.stringify(p.status())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return p.status();
}

describe("demo registrar", () => {
  it("accepts REGISTER without auth, caps the expiry and removes the binding on unregister", async () => {
    const reg = await registrar({ host: "127.40.3.1", port: 5060, maxExpires: 90 });
    const p = await phone("127.40.3.2", 5060, "4001");
    const s = await until(p, (st) => st.state === "registered");
    expect(s.expiresAt! - s.registeredAt!).toBe(90_000); // asked 120, granted 90
    expect(reg.bindings()).toEqual([
      expect.objectContaining({ user: "4001", contact: "sip:4001@127.40.3.2:5060", source: "127.40.3.2:5060" }),
    ]);
    await p.stop();
    expect(reg.bindings()).toEqual([]);
  });

  it("challenges with digest (per-user passwords) and rejects a wrong password", async () => {
    const reg = await registrar({ host: "127.40.3.1", port: 5070, passwords: { "4002": "pw-2", "4003": "pw-3" }, realm: "demo" });
    const good = await phone("127.40.3.3", 5070, "4002", "pw-2");
    await until(good, (st) => st.state === "registered");
    const bad = await phone("127.40.3.4", 5070, "4003", "pw-2");
    const failed = await until(bad, (st) => st.state === "failed");
    expect(failed.lastError).toMatch(/authentication failed \(401 Unauthorized\)/);
    expect(reg.bindings().map((b) => b.user)).toEqual(["4002"]);
  });

  it("answers OPTIONS and can be stopped and restarted (the phone notices via ka_options and re-registers)", async () => {
    const reg = await registrar({ host: "127.40.3.1", port: 5060 });
    const p = await phone("127.40.3.5", 5060, "4004", "", { [`${SIP}ka_options/enabled`]: 1, [`${SIP}ka_options/timeout`]: 1 });
    await until(p, (st) => st.state === "registered" && st.keepAlive.primary.lastOkAt !== st.registeredAt);
    await reg.stop();
    expect(reg.running).toBe(false);
    await until(p, (st) => st.state === "registering" && st.keepAlive.primary.reachable === false);
    await reg.start();
    await until(p, (st) => st.state === "registered");
    expect(reg.bindings().map((b) => b.user)).toEqual(["4004"]);
  });
});
