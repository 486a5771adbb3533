import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { buildAuthorization, computeResponse, parseChallenge, parseCredentials, verifyCredentials } from "../../src/sip/digest";
import { SipEndpoint } from "../../src/sip/endpoint";
import { header, headerValues, parseMessage, parseNameAddr, parseVia, serializeMessage } from "../../src/sip/message";

// The SIP stack's pieces: parser/serializer, digest maths, and client transactions over real UDP sockets.

describe("SIP message parsing", () => {
  it("expands compact headers, unfolds continuation lines and honours Content-Length", () => {
    const raw =
      "SIP/2.0 200 OK\r\n" +
      "v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc;rport=5060, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKdef\r\n" +
      "f: <sip:1001@h>;tag=1\r\nt: <sip:1001@h>;tag=2\r\ni: call-1\r\nCSeq: 2 REGISTER\r\n" +
      'm: "Desk, 1" <sip:1001@127.0.0.2:5060>;expires=30,\r\n <sip:1001@127.0.0.3:5060>;expires=60\r\n' +
      "l: 4\r\n\r\nbodyEXTRA";
    const msg = parseMessage(raw);
    expect(msg).toMatchObject({ kind: "response", status: 200, reason: "OK", body: "body" });
    expect(header(msg, "call-id")).toBe("call-1");
    expect(headerValues(msg, "via")).toHaveLength(2);
    expect(parseVia(header(msg, "via")!)).toMatchObject({ transport: "UDP", host: "127.0.0.1", port: 5060, params: { branch: "z9hG4bKabc", rport: "5060" } });
    const contacts = headerValues(msg, "contact").map(parseNameAddr);
    expect(contacts).toEqual([
      { uri: "sip:1001@127.0.0.2:5060", params: { expires: "30" } },
      { uri: "sip:1001@127.0.0.3:5060", params: { expires: "60" } },
    ]);
  });

  it("round-trips a request through serialize and parse", () => {
    const bytes = serializeMessage({
      kind: "request",
      method: "REGISTER",
      uri: "sip:127.0.0.1",
      headers: [["call-id", "x@y"], ["cseq", "1 REGISTER"], ["www-authenticate", 'Digest realm="r"']],
      body: "",
    });
    const text = bytes.toString();
    expect(text).toMatch(/^REGISTER sip:127\.0\.0\.1 SIP\/2\.0\r\nCall-ID: x@y\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="r"\r\nContent-Length: 0\r\n\r\n$/);
    expect(parseMessage(bytes)).toMatchObject({ kind: "request", method: "REGISTER", uri: "sip:127.0.0.1" });
  });

  it("rejects garbage with a specific error", () => {
    expect(() => parseMessage("HELLO\r\n\r\n")).toThrow(/Not a SIP start line/);
    expect(() => parseMessage("SIP/2.0 200 OK\r\nno colon here\r\n\r\n")).toThrow(/Malformed SIP header line/);
  });
});

describe("digest authentication", () => {
  it("matches the RFC 2617 §3.5 example (qop=auth)", () => {
    expect(
      computeResponse({
        algorithm: "MD5",
        username: "Mufasa",
        realm: "testrealm@host.com",
        password: "Circle Of Life",
        method: "GET",
        uri: "/dir/index.html",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        qop: "auth",
        nc: "00000001",
        cnonce: "0a4f113b",
      }),
    ).toBe("6629fae49393a05397450978507c4ef1");
  });

  for (const challengeText of [
    'Digest realm="127.0.0.1", nonce="abc123"',
    'Digest realm="pbx", nonce="n2", qop="auth,auth-int", opaque="op", algorithm=MD5',
    'Digest realm="pbx", nonce="n3", qop="auth", algorithm=SHA-256',
  ]) {
    it(`builds credentials a server verifies: ${challengeText}`, () => {
      const challenge = parseChallenge(challengeText)!;
      const value = buildAuthorization(challenge, { username: "1001", password: "pw", method: "REGISTER", uri: "sip:pbx", nc: 1 });
      const creds = parseCredentials(value)!;
      expect(creds.nonce).toBe(challenge.nonce);
      expect(creds.qop).toBe(challenge.qop.length ? "auth" : undefined);
      expect(verifyCredentials(creds, "REGISTER", "pw")).toBe(true);
      expect(verifyCredentials(creds, "REGISTER", "wrong")).toBe(false);
    });
  }
});

describe("client transactions over UDP", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it("retransmits with the same branch and times out after 64·T1 when nobody answers", async () => {
    const silent = dgram.createSocket("udp4");
    const received: string[] = [];
    silent.on("message", (data) => received.push(data.toString()));
    await new Promise<void>((r) => silent.bind(5060, "127.40.2.1", () => r()));
    cleanup.push(() => new Promise((r) => silent.close(() => r())));
    const ep = new SipEndpoint({ address: "127.40.2.2", port: 5060 });
    await ep.start();
    cleanup.push(() => ep.stop());

    const result = await ep.request(
      { host: "127.40.2.1", port: 5060 },
      { kind: "request", method: "OPTIONS", uri: "sip:127.40.2.1", headers: [["cseq", "1 OPTIONS"], ["call-id", "c1"]], body: "" },
      { t1: 20, t2: 80 },
    );
    expect(result.kind).toBe("timeout");
    expect(received.length).toBeGreaterThanOrEqual(4);
    const branches = new Set(received.map((m) => parseVia(header(parseMessage(m), "via")!).params.branch));
    expect(branches.size).toBe(1);
    expect([...branches][0]).toMatch(/^z9hG4bK/);
    expect(header(parseMessage(received[0]), "via")).toMatch(/;rport$/);
  });

  it("a peer's OPTIONS gets a 200 from the phone's endpoint, and the response matches the transaction", async () => {
    const a = new SipEndpoint({ address: "127.40.2.3", port: 5060, onRequest: (req) => ({ kind: "response", status: 200, reason: "OK", headers: req.headers.filter(([n]) => n !== "contact"), body: "" }) });
    const b = new SipEndpoint({ address: "127.40.2.4", port: 5060 });
    await a.start();
    await b.start();
    cleanup.push(() => a.stop(), () => b.stop());
    const result = await b.request(
      { host: "127.40.2.3", port: 5060 },
      { kind: "request", method: "OPTIONS", uri: "sip:127.40.2.3", headers: [["cseq", "7 OPTIONS"], ["call-id", "c2"]], body: "" },
      { t1: 100, t2: 400 },
    );
    expect(result.kind).toBe("response");
    if (result.kind === "response") expect(header(result.response, "cseq")).toBe("7 OPTIONS");
  });
});
