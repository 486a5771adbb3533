// Key profiles as data: the 310HD tree's keys, spellings and gaps, and the round trip to the reference tree.
import { describe, expect, it } from "vitest";
import { PARAMS } from "../../src/config/reference";
import { applyChange } from "../../src/config/validate";
import { PROFILES } from "../../src/profiles/index";
import { parseMix, phoneKind } from "../../src/fleet/mix";

const AC = PROFILES["audiocodes-hd"];
const MT = PROFILES.mt505;

describe("audiocodes-hd profile", () => {
  it("stores the 310HD keys with the dump's spellings (UDP, RFC2833, decimal TOS) as factory values", () => {
    const d = AC.defaults();
    expect(d["voip/signalling/sip/redundant_proxy/port"]).toBe(5060);
    expect(d["voip/signalling/sip/redundant_proxy/address"]).toBe(MT.defaults()["voip/signalling/sip/redundant/redundant_proxy_address"]);
    expect(d["voip/signalling/sip/transport_protocol"]).toBe("UDP");
    expect(d["voip/media/out_of_band_dtmf"]).toBe("RFC2833");
    expect(d["voip/media/media_tos"]).toBe(184);
    expect(d["voip/dialing/timeout"]).toBe(MT.defaults()["voip/dial_timeout"]);
    expect(d["provisioning/method"]).toBe("DYNAMIC");
    expect(d["provisioning/url_option_value"]).toBe(160);
  });

  it("lacks what the dump lacks (reference keys do not exist on it)", () => {
    for (const key of ["voip/signalling/sip/stun/enabled", "voip/signalling/sip/tls_port", "voip/line/0/snd_callerid", "voip/signalling/protocol"])
      expect(AC.byKey.has(key), key).toBe(false);
    expect(AC.redundantFlagKey).toBeNull();
    const result = applyChange(AC.defaults(), { "voip/signalling/sip/redundant/redundant_proxy_port": 5070, "voip/signalling/sip/stun/enabled": 1 }, AC.byKey);
    expect(result).toEqual({ ok: false, errors: { "voip/signalling/sip/redundant/redundant_proxy_port": "unknown parameter", "voip/signalling/sip/stun/enabled": "unknown parameter" } });
  });

  it("validates in its own spelling: lower-case udp and hex TOS are refused, dependent keys follow renamed ones", () => {
    const bad = applyChange(AC.defaults(), { "voip/signalling/sip/transport_protocol": "udp", "voip/media/media_tos": "0xb8" }, AC.byKey);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors["voip/signalling/sip/transport_protocol"]).toBe('must be one of "UDP", "TCP", "TLS"');
      expect(bad.errors["voip/media/media_tos"]).toBe("must be an integer");
    }
    // redundant_proxy/address applies once redundant_proxy/enabled=1 (appliesWhen renamed with it).
    const needsAddress = applyChange(AC.defaults(), { "voip/signalling/sip/redundant_proxy/enabled": 1, "voip/signalling/sip/redundant_proxy/address": "" }, AC.byKey);
    expect(needsAddress.ok).toBe(false);
    expect(applyChange(AC.defaults(), { "voip/media/media_tos": 256 }, AC.byKey)).toMatchObject({ ok: false });
  });

  it("round-trips to the reference tree for the SIP user agent", () => {
    const own = AC.defaults();
    const canonical = AC.toCanonical(own);
    expect(canonical["voip/signalling/sip/redundant/redundant_proxy_port"]).toBe(5060);
    expect(canonical["voip/signalling/sip/transport_protocol"]).toBe("udp");
    expect(canonical["voip/media_tos"]).toBe("0xb8");
    expect(canonical).not.toHaveProperty("provisioning/method");
    expect(AC.fromCanonical(canonical)).toEqual(Object.fromEntries(Object.entries(own).filter(([k]) => !k.startsWith("provisioning/"))));
    // every reference key is either mapped or listed as lacking
    for (const p of PARAMS) expect(AC.ownKey(p.key) === null || AC.byKey.has(AC.ownKey(p.key)!), p.key).toBe(true);
  });
});

describe("mt505 profile", () => {
  it("is the reference tree; provisioning keys exist only once set", () => {
    const d = MT.defaults();
    expect(Object.keys(d).sort()).toEqual(PARAMS.filter((p) => !p.readOnly).map((p) => p.key).sort());
    const set = applyChange(d, { "provisioning/method": "STATIC", "provisioning/configuration/url": "http://u:p@127.0.0.1/p" }, MT.byKey);
    expect(set).toMatchObject({ ok: true, values: { "provisioning/method": "STATIC" } });
  });
});

describe("--mix", () => {
  it("parses role[@profile]:count groups and assigns kinds by index", () => {
    const mix = parseMix("api:2,web@audiocodes-hd:1,provisioning:1", "mt505");
    const defaults = { api: "json" as const, keyProfile: "mt505" as const, provisioning: false };
    expect([0, 1, 2, 3, 4].map((i) => phoneKind(i, mix, defaults))).toEqual([
      { api: "json", keyProfile: "mt505", provisioning: false },
      { api: "json", keyProfile: "mt505", provisioning: false },
      { api: "web", keyProfile: "audiocodes-hd", provisioning: false },
      { api: "json", keyProfile: "mt505", provisioning: true },
      defaults,
    ]);
    expect(() => parseMix("phone:3", "mt505")).toThrow(/role "phone"/);
    expect(() => parseMix("web@polycom:3", "mt505")).toThrow(/key profile "polycom"/);
    expect(() => parseMix("api=3", "mt505")).toThrow(/role\[@profile\]:count/);
  });
});
