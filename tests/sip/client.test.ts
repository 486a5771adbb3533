import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeResponse, parseCredentials } from "../../emulator/src/sip/digest";
import { header, type SipRequest } from "../../emulator/src/sip/message";
import { fakePhone } from "../support/sip-peer";
import { Kamailio, kamailioAvailable } from "../../emulator/test/support/kamailio";
import { createSipClient, retransmitTimes, sendCheckSync, timersWith, type SipClient } from "@/lib/sip";

// The portal's SIP client against real peers on i11-portal's loopback range (127.64.x): Kamailio for OPTIONS,
// and small UDP servers written with the emulator's own SIP parser and digest code (an independent implementation)
// for check-sync NOTIFY with 401/407 challenges, silence and provisional answers.

const PORTAL = "127.64.1.1";
const KAMAILIO = { host: "127.64.1.2", port: 5060 };

/** Challenges every request without credentials; accepts only a correct digest for `password`. */
function digestPhone(status: 401 | 407, password: string) {
  const name = status === 401 ? "www-authenticate" : "proxy-authenticate";
  const credName = status === 401 ? "authorization" : "proxy-authorization";
  return (req: SipRequest): Array<[number, string, Array<[string, string]>?]> => {
    const creds = header(req, credName);
    const parsed = creds ? parseCredentials(creds) : null;
    if (!parsed) return [[status, "Unauthorized", [[name, `Digest realm="phone", nonce="n-${Math.random()}", qop="auth"`]]]];
    const ok =
      computeResponse({ algorithm: "MD5", username: parsed.username, realm: parsed.realm, password, method: req.method, uri: parsed.uri, nonce: parsed.nonce, qop: parsed.qop, nc: parsed.nc, cnonce: parsed.cnonce }) ===
      parsed.response;
    return ok ? [[200, "OK"]] : [[403, "Forbidden"]];
  };
}

describe("lib/sip client transactions", () => {
  let sip: SipClient;
  beforeAll(async () => {
    sip = await createSipClient({ host: PORTAL });
  });
  afterAll(async () => {
    await sip.close();
  });

  it("retransmits per Timer E (T1 doubling up to T2) until Timer F", () => {
    expect(retransmitTimes(timersWith())).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  });

  it.skipIf(!kamailioAvailable())("gets 200 to OPTIONS from a real Kamailio", async () => {
    const kamailio = new Kamailio(KAMAILIO);
    await kamailio.start();
    try {
      const r = await sip.request({ method: "OPTIONS", target: `${KAMAILIO.host}:${KAMAILIO.port}`, timers: { t1Ms: 100, timeoutMs: 3000 } });
      expect(r).toMatchObject({ outcome: "response", status: 200, authenticated: false });
    } finally {
      await kamailio.dispose();
    }
  });

  it("answers a 401 challenge to check-sync with the line's digest credentials", async () => {
    const phone = await fakePhone("127.64.1.3", digestPhone(401, "line-secret"));
    try {
      const r = await sendCheckSync(sip, { target: "127.64.1.3:5060", user: "1001", auth: { username: "1001", password: "line-secret" }, timers: { t1Ms: 100 } });
      expect(r).toMatchObject({ outcome: "response", status: 200, authenticated: true });
      expect(phone.received).toHaveLength(2);
      const [first, second] = phone.received;
      expect(first.method).toBe("NOTIFY");
      expect(first.uri).toBe("sip:1001@127.64.1.3:5060");
      expect(header(first, "event")).toBe("check-sync;reboot=false");
      expect(header(second, "call-id")).toBe(header(first, "call-id"));
      expect(header(second, "cseq")).toBe("2 NOTIFY");
    } finally {
      await phone.close();
    }
  });

  it("answers a 407 with Proxy-Authorization; a wrong password ends with the phone's refusal", async () => {
    const phone = await fakePhone("127.64.1.4", digestPhone(407, "right"));
    try {
      const good = await sendCheckSync(sip, { target: "127.64.1.4", auth: { username: "u", password: "right" }, timers: { t1Ms: 100 } });
      expect(good).toMatchObject({ outcome: "response", status: 200 });
      expect(header(phone.received[1], "proxy-authorization")).toMatch(/^Digest /);
      const bad = await sendCheckSync(sip, { target: "127.64.1.4", auth: { username: "u", password: "wrong" }, timers: { t1Ms: 100 } });
      expect(bad).toMatchObject({ outcome: "response", status: 403 });
      const none = await sendCheckSync(sip, { target: "127.64.1.4", timers: { t1Ms: 100 } });
      expect(none).toMatchObject({ outcome: "response", status: 407, authenticated: false });
    } finally {
      await phone.close();
    }
  });

  it("retransmits to a silent phone and ends with a timeout", async () => {
    const phone = await fakePhone("127.64.1.5", () => []);
    try {
      const r = await sendCheckSync(sip, { target: "127.64.1.5:5060", timers: { t1Ms: 50, t2Ms: 200, timeoutMs: 1000 } });
      expect(r.outcome).toBe("timeout");
      // Every copy is the same transaction (same branch); at least the first retransmissions arrived.
      expect(phone.received.length).toBeGreaterThanOrEqual(3);
      expect(new Set(phone.received.map((m) => header(m, "via"))).size).toBe(1);
    } finally {
      await phone.close();
    }
  });

  it("waits past a provisional 100 Trying for the final answer", async () => {
    let calls = 0;
    const phone = await fakePhone("127.64.1.6", () => (++calls < 3 ? [[100, "Trying"]] : [[200, "OK"]]));
    try {
      const r = await sip.request({ method: "NOTIFY", target: "127.64.1.6", headers: { Event: "check-sync" }, timers: { t1Ms: 50, t2Ms: 100, timeoutMs: 3000 } });
      expect(r).toMatchObject({ outcome: "response", status: 200 });
    } finally {
      await phone.close();
    }
  });

  it("reports an unresolvable target as an error without sending", async () => {
    const r = await sip.request({ method: "OPTIONS", target: "no-such-host.invalid:5060" });
    expect(r.outcome).toBe("error");
  });
});
