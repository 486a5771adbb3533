import { describe, expect, it } from "vitest";
import { parseKamailioUlDump, rpcResult } from "./kamailio";
import { deviceRegistrarView, matchBindings, type DeviceIdentity } from "./match";
import { parseSipUri, registrarInputSchema, type RegistrarContact } from "./model";

const NOW = new Date("2026-12-01T20:00:00.000Z");
const contactJson = (address: string, extra: Record<string, unknown> = {}) => ({
  Contact: { Address: address, Expires: 300, Received: "[not set]", Socket: "udp:10.0.0.5:5060", "User-Agent": "MT505", ...extra },
});
// The shape Kamailio 5.6.3 answers (trimmed).
const dump = {
  Domains: [
    {
      Domain: {
        Domain: "location",
        Size: 1024,
        AoRs: [
          { Info: { AoR: "1001", HashID: 1, Contacts: [contactJson("sip:1001@10.1.0.1:5060")] } },
          { Info: { AoR: "1002@example.com", Contacts: [contactJson("sip:1002@192.168.1.9:5060", { Received: "sip:203.0.113.7:40000" }), contactJson("sip:1002@10.1.0.2", { Expires: "expired" })] } },
          { Info: { AoR: 1003, Contacts: [contactJson("sip:1003@10.1.0.3:5062", { Expires: "permanent", "User-Agent": "[not set]" })] } },
        ],
        Stats: { Records: 3, "Max-Slots": 1 },
      },
    },
  ],
};

describe("parseKamailioUlDump", () => {
  it("reads every live binding with its expiry, received address and socket", () => {
    const contacts = parseKamailioUlDump(dump, NOW);
    expect(contacts).toEqual([
      { aor: "1001", user: "1001", contact: "sip:1001@10.1.0.1:5060", host: "10.1.0.1", port: 5060, expiresAt: "2026-12-01T20:05:00.000Z", userAgent: "MT505", socket: "udp:10.0.0.5:5060" },
      { aor: "1002@example.com", user: "1002", contact: "sip:1002@192.168.1.9:5060", host: "203.0.113.7", port: 40000, expiresAt: "2026-12-01T20:05:00.000Z", userAgent: "MT505", socket: "udp:10.0.0.5:5060" },
      { aor: "1003", user: "1003", contact: "sip:1003@10.1.0.3:5062", host: "10.1.0.3", port: 5062, expiresAt: null, userAgent: null, socket: "udp:10.0.0.5:5060" },
    ]);
  });
  it("takes an empty location table and refuses other shapes", () => {
    expect(parseKamailioUlDump({ Domains: [{ Domain: { Domain: "location", AoRs: [] } }] }, NOW)).toEqual([]);
    expect(() => parseKamailioUlDump({ something: 1 }, NOW)).toThrow();
    expect(() => rpcResult({ jsonrpc: "2.0", error: { code: -32601, message: "Method Not Found" }, id: 1 })).toThrow("Method Not Found");
    expect(rpcResult({ jsonrpc: "2.0", result: 5, id: 1 })).toBe(5);
  });
});

describe("parseSipUri and the input schema", () => {
  it("parses users, hosts, ports and parameters", () => {
    expect(parseSipUri("sip:1001@10.0.0.1:5060;transport=udp")).toEqual({ user: "1001", host: "10.0.0.1", port: 5060 });
    expect(parseSipUri("<sip:Example.COM>")).toEqual({ user: null, host: "example.com", port: null });
    expect(parseSipUri("http://x")).toBeNull();
  });
  it("names the bad field", () => {
    const r = registrarInputSchema.safeParse({ name: " ", kind: "asterisk", url: "ftp://x" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0])).toEqual(["name", "kind", "url"]);
  });
});

const c = (user: string, host: string, expiresAt: string | null = "2026-12-01T20:05:00.000Z"): RegistrarContact => ({
  aor: user,
  user,
  contact: `sip:${user}@${host}:5060`,
  host,
  port: 5060,
  expiresAt,
  userAgent: null,
  socket: "udp:10.0.0.5:5060",
});

describe("matchBindings", () => {
  const devices: DeviceIdentity[] = [
    { id: "a", sipUser: "1001", hosts: ["10.1.0.1"] },
    { id: "b", sipUser: "1002", hosts: ["10.1.0.2"] }, // behind NAT: contact host differs, user unique
    { id: "c", sipUser: "2000", hosts: ["10.1.0.3"] }, // user shared with d: needs the host too
    { id: "d", sipUser: "2000", hosts: ["10.1.0.4"] },
    { id: "e", sipUser: null, hosts: ["10.1.0.5"] }, // config never read: host alone
    { id: "f", sipUser: "3000", hosts: ["10.1.0.6"] }, // not registered anywhere
  ];
  it("matches by user and host, by a unique user, by a unique host, and picks the longest-lived binding", () => {
    const m = matchBindings(devices, [
      { registrar: "primary", contacts: [c("1001", "10.1.0.1", "2026-12-01T20:01:00.000Z"), c("1002", "203.0.113.7"), c("2000", "10.1.0.4"), c("9999", "10.1.0.5")] },
      { registrar: "redundant", contacts: [c("1001", "10.1.0.1", "2026-12-01T20:09:00.000Z"), c("2000", "10.9.9.9")] },
    ]);
    expect(Object.fromEntries([...m].map(([id, b]) => [id, `${b.registrar} ${b.contact.contact}`]))).toEqual({
      a: "redundant sip:1001@10.1.0.1:5060",
      b: "primary sip:1002@203.0.113.7:5060",
      d: "primary sip:2000@10.1.0.4:5060",
      e: "primary sip:9999@10.1.0.5:5060",
    });
  });
});

describe("deviceRegistrarView", () => {
  const binding = { registrar: "primary", contact: c("1001", "10.1.0.1") };
  const polled = { ok: 1, checkedAt: NOW.toISOString() };
  it("agrees when the phone reports the same registrar", () => {
    const v = deviceRegistrarView(binding, polled, { state: "registered", registrar: "10.0.0.5:5060" });
    expect(v).toEqual({ name: "primary", state: "registered", contact: "sip:1001@10.1.0.1:5060", expiresAt: "2026-12-01T20:05:00.000Z", via: "10.0.0.5:5060", checkedAt: NOW.toISOString(), mismatch: null });
  });
  it("says where they disagree", () => {
    expect(deviceRegistrarView(binding, polled, { state: "registered", registrar: "10.0.0.6:5060" }).mismatch).toMatch(/registered to 10.0.0.6:5060, but its binding is at primary/);
    expect(deviceRegistrarView(binding, polled, { state: "unreachable", registrar: null }).mismatch).toMatch(/does not answer the portal, but registrar primary holds/);
    expect(deviceRegistrarView(binding, polled, { state: "failed", registrar: null }).mismatch).toMatch(/reports "failed"/);
    expect(deviceRegistrarView(undefined, polled, { state: "registered", registrar: "10.0.0.5:5060" }).mismatch).toMatch(/no registrar holds a binding/);
  });
  it("is unknown (and claims nothing) when no registrar could be read", () => {
    const v = deviceRegistrarView(undefined, { ok: 0, checkedAt: null }, { state: "registered", registrar: "10.0.0.5:5060" });
    expect(v).toMatchObject({ state: "unknown", name: null, mismatch: null });
  });
});
