// The device HTTP config API of one emulated phone, over real HTTP (SIP disabled: these tests are about config).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { basic, call, deviceUrl, startTestFleet } from "./support";

const PORT_KEY = "voip/signalling/sip/proxy_port";
const ADDR_KEY = "voip/signalling/sip/proxy_address";
const PASS_KEY = "voip/line/0/auth_password";

let fleet: Emulator;
beforeAll(async () => {
  fleet = await startTestFleet({
    sip: false,
    sipPassword: "sippw",
    proxy: "127.41.0.2:5060",
    redundantProxy: "127.41.0.3:5060",
  });
});
afterAll(async () => {
  await fleet?.stop();
});

type Config = { revision: number; values: Record<string, string | number> };
const getConfig = async (i = 0) => (await call(deviceUrl(i, "/config"))).json<Config>();

describe("GET /device", () => {
  it("answers model, firmware, serial, MAC and uptime; serials differ per phone", async () => {
    const a = (await call(deviceUrl(0, "/device"))).json();
    const b = (await call(deviceUrl(1, "/device"))).json();
    expect(a).toMatchObject({ model: "Spider MT505", firmware: expect.any(String), uptimeS: expect.any(Number) });
    expect(a.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(a.serial).not.toBe(b.serial);
  });
});

describe("Basic auth", () => {
  it("answers 401 with WWW-Authenticate without or with wrong credentials", async () => {
    for (const auth of [false, basic("admin", "wrong"), basic("root", "s3cret")] as const) {
      const res = await call(deviceUrl(0, "/config"), { auth });
      expect(res.status).toBe(401);
      expect(String(res.headers["www-authenticate"])).toMatch(/^Basic realm=/);
      expect(res.text).not.toContain("voip/");
    }
  });
});

describe("GET/PATCH /config", () => {
  it("returns the phone's config with its revision as ETag, the SIP password masked", async () => {
    const res = await call(deviceUrl(0, "/config"));
    const body = res.json<Config>();
    expect(res.headers.etag).toBe(`"${body.revision}"`);
    expect(body.values["voip/line/0/id"]).toBe("1001");
    expect(body.values[PASS_KEY]).toBe("********");
    expect(res.text).not.toContain("sippw");
  });

  it("applies a PATCH with a matching If-Match and bumps the revision", async () => {
    const before = await getConfig();
    const res = await call(deviceUrl(0, "/config"), {
      method: "PATCH",
      headers: { "if-match": `"${before.revision}"` },
      body: { values: { [PORT_KEY]: 5062, [ADDR_KEY]: "pbx.example.net" } },
    });
    expect(res.status).toBe(200);
    const after = res.json<Config>();
    expect(after.revision).toBe(before.revision + 1);
    expect(res.headers.etag).toBe(`"${after.revision}"`);
    expect(after.values).toMatchObject({ [PORT_KEY]: 5062, [ADDR_KEY]: "pbx.example.net" });
    expect(await getConfig()).toEqual(after);
  });

  it("answers 412 with the current revision for a stale If-Match, changing nothing", async () => {
    const before = await getConfig();
    const res = await call(deviceUrl(0, "/config"), {
      method: "PATCH",
      headers: { "if-match": `"${before.revision - 1}"` },
      body: { values: { [PORT_KEY]: 5070 } },
    });
    expect(res.status).toBe(412);
    expect(res.json()).toEqual({ error: "stale revision", revision: before.revision });
    expect(await getConfig()).toEqual(before);
  });

  it("answers 422 per key for invalid, unknown and read-only keys and applies nothing", async () => {
    const before = await getConfig();
    const res = await call(deviceUrl(0, "/config"), {
      method: "PATCH",
      body: {
        values: {
          "voip/signalling/sip/redundant/redundant_proxy_port": 80,
          "voip/signalling/sip/sip_t1": 250.5,
          "voip/signalling/sip/prack/enabled": 2,
          "voip/out_of_band_dtmf": "smoke",
          [ADDR_KEY]: "not a host!",
          "voip/line/0/description": "x".repeat(255),
          "voip/no/such/key": 1,
          "voip/signalling/sip/redundant/is_redundant_proxy": 1,
          "voip/dial_timeout": 7, // valid on its own, must not be applied either
        },
      },
    });
    expect(res.status).toBe(422);
    expect(res.json().errors).toEqual({
      "voip/signalling/sip/redundant/redundant_proxy_port": "must be 1024..65535",
      "voip/signalling/sip/sip_t1": "must be an integer",
      "voip/signalling/sip/prack/enabled": "must be 0 or 1",
      "voip/out_of_band_dtmf": 'must be one of "inband", "rfc2833", "via SIP"',
      [ADDR_KEY]: "must be an IPv4 address or host name",
      "voip/line/0/description": "must be at most 254 characters",
      "voip/no/such/key": "unknown parameter",
      "voip/signalling/sip/redundant/is_redundant_proxy": "read-only",
    });
    expect(await getConfig()).toEqual(before);
  });

  it("accepts inapplicable keys without validating them, and validates them once they apply", async () => {
    const stun = { "voip/signalling/sip/stun/enabled": 0, "voip/signalling/sip/stun/stun_server_ip": "" };
    expect((await call(deviceUrl(1, "/config"), { method: "PATCH", body: { values: stun } })).status).toBe(200);
    const enable = await call(deviceUrl(1, "/config"), {
      method: "PATCH",
      body: { values: { "voip/signalling/sip/stun/enabled": 1 } },
    });
    expect(enable.status).toBe(422);
    expect(enable.json().errors).toEqual({
      "voip/signalling/sip/stun/stun_server_ip": "must be an IPv4 address or host name",
    });
  });

  it("keeps the SIP password when the mask comes back, replaces it when a new one is sent", async () => {
    const device = fleet.devices[0];
    const current = await getConfig();
    await call(deviceUrl(0, "/config"), { method: "PATCH", body: { values: current.values } });
    expect(device.rawValues()[PASS_KEY]).toBe("sippw");
    await call(deviceUrl(0, "/config"), { method: "PATCH", body: { values: { [PASS_KEY]: "newpw" } } });
    expect(device.rawValues()[PASS_KEY]).toBe("newpw");
    await call(deviceUrl(0, "/config"), { method: "PATCH", body: { values: { [PASS_KEY]: "" } } });
    expect((await getConfig()).values[PASS_KEY]).toBe("");
  });

  it("answers 400 for a body that is not JSON or has no values object", async () => {
    const bad = await call(deviceUrl(0, "/config"), { method: "PATCH", body: "{nope", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect((await call(deviceUrl(0, "/config"), { method: "PATCH", body: { values: [1] } })).status).toBe(400);
  });
});

describe("config.cfg", () => {
  it("exports sorted key=value lines and restores them (comments allowed) with a new revision", async () => {
    const cfg = await call(deviceUrl(0, "/config.cfg"));
    expect(cfg.status).toBe(200);
    expect(String(cfg.headers["content-type"])).toMatch(/^text\/plain/);
    const lines = cfg.text.trim().split("\n");
    expect([...lines].sort()).toEqual(lines);
    expect(lines).toContain("voip/line/0/id=1001");

    const before = await getConfig();
    await call(deviceUrl(0, "/config"), { method: "PATCH", body: { values: { "voip/dial_timeout": 9 } } });
    const restore = await call(deviceUrl(0, "/config.cfg"), {
      method: "PUT",
      body: `# backup of phone 1\n\n${cfg.text}`,
      headers: { "content-type": "text/plain" },
    });
    expect(restore.status).toBe(200);
    const after = restore.json<Config>();
    expect(after.values).toEqual(before.values);
    expect(after.revision).toBeGreaterThan(before.revision);
  });

  it("rejects an invalid file as a whole with per-key errors", async () => {
    const before = await getConfig();
    const res = await call(deviceUrl(0, "/config.cfg"), {
      method: "PUT",
      body: "voip/dial_timeout=8\nvoip/signalling/sip/use_proxy=1\nvoip/signalling/sip/proxy_address=10.0.0.1\nvoip/signalling/sip/proxy_port=99999\nvoip/bogus=1\n",
    });
    expect(res.status).toBe(422);
    expect(res.json().errors).toEqual({
      "voip/signalling/sip/proxy_port": "must be 1024..65535",
      "voip/bogus": "unknown parameter",
    });
    const syntax = await call(deviceUrl(0, "/config.cfg"), { method: "PUT", body: "just words\n" });
    expect(syntax.status).toBe(422);
    expect(syntax.json().errors).toEqual({ "line 1": "expected key=value" });
    expect(await getConfig()).toEqual(before);
  });
});
