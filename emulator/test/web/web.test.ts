// An `--api web` phone (audiocodes-hd tree) over real HTTP: auth (Basic, Digest, login cookie), the info page,
// the provisioning form as configurators send it, config file download/upload, registration status XML.
import { FormData, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { buildAuthorization, parseChallenge } from "../../src/sip/digest";
import { createDemoRegistrar, type DemoRegistrar } from "../../src/sip/registrar";
import { AUTH, basic, call, eventually, startTestFleet } from "../http/support";
import { ownRange } from "../support/own-range";
import { startProvisioningServer, type ProvisioningServer } from "../support/provisioning-server";

const R = ownRange(5);
const web = (path: string, i = 0) => R.device(i, path);
const form = (fields: Record<string, string | number>) => new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
const post = (path: string, fields: Record<string, string | number>, auth: string | boolean = true) =>
  call(web(path), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fields), auth });

let fleet: Emulator;
let registrar: DemoRegistrar;
let prov: ProvisioningServer;
type Config = { revision: number; values: Record<string, string | number> };
const stored = async (i = 0) => (await call(R.control(`/devices/${fleet.devices[i].ip}/config`), { auth: false })).json<Config>();

beforeAll(async () => {
  registrar = createDemoRegistrar({ host: "127.62.5.201", port: 5060 });
  await registrar.start();
  prov = await startProvisioningServer("127.62.5.251", 8081, "p", "q");
  fleet = await startTestFleet({
    devices: 2,
    firstIp: R.firstIp,
    controlHost: R.controlHost,
    controlPort: R.controlPort,
    api: "web",
    keyProfile: "audiocodes-hd",
    proxy: "127.62.5.201:5060",
    sipPassword: "sippw",
    rebootMs: 300,
  });
});
afterAll(async () => {
  await fleet?.stop();
  await registrar?.stop();
  await prov?.close();
});

describe("authentication", () => {
  it("401 without credentials offers Digest and Basic; Basic, Digest and the login cookie are accepted", async () => {
    const refused = await call(web("/mainform.cgi/info.htm"), { auth: false });
    expect(refused.status).toBe(401);
    const offers = String(refused.headers["www-authenticate"]);
    expect(offers).toMatch(/Digest realm="IP Phone"/);
    expect(offers).toMatch(/Basic realm="IP Phone"/);
    expect((await call(web("/mainform.cgi/info.htm"), { auth: basic("admin", "nope") })).status).toBe(401);
    expect((await call(web("/mainform.cgi/info.htm"))).status).toBe(200);

    const digestOffer = [refused.headers["www-authenticate"]].flat().find((v) => String(v).startsWith("Digest"))!;
    const challenge = parseChallenge(String(digestOffer))!;
    const digest = buildAuthorization(challenge, { username: AUTH.username, password: AUTH.password, method: "GET", uri: "/mainform.cgi/info.htm", nc: 1 });
    expect((await call(web("/mainform.cgi/info.htm"), { auth: digest })).status).toBe(200);

    expect((await post("/login.cgi", { user: "admin", psw: Buffer.from("wrong").toString("base64") }, false)).status).toBe(401);
    const login = await post("/login.cgi", { user: "admin", psw: Buffer.from(AUTH.password).toString("base64") }, false);
    expect(login.status).toBe(200);
    const cookie = String(login.headers["set-cookie"]).split(";")[0];
    const res = await request(web("/voip_status.cgi"), { headers: { cookie } });
    expect(res.statusCode).toBe(200);
    await res.body.text();
  });
});

describe("pages", () => {
  it("info.htm shows model, firmware, serial and MAC in a table with ids", async () => {
    const html = (await call(web("/mainform.cgi/info.htm"))).text;
    expect(html).toContain(`<tr id="mac"><th>MAC address</th><td>${fleet.devices[0].identity.mac}</td></tr>`);
    expect(html).toMatch(/<tr id="firmware"><th>[^<]+<\/th><td>2\.4\.1-emu<\/td>/);
    expect((await call(web("/mainform.cgi?go=info.htm"))).text).toContain('<tr id="mac">');
  });

  it("voip_status.cgi reports the line's registration as XML", async () => {
    const xml = await eventually(async () => (await call(web("/voip_status.cgi"))).text, (t) => t.includes("<SipStatus>Registered</SipStatus>"));
    expect(xml).toContain("<UserId>1001</UserId>");
    expect(xml).toContain("<Registrar>127.62.5.201:5060</Registrar>");
  });

  it("the JSON API is not served by a web phone", async () => {
    expect((await call(web("/api/v1/config"))).status).toBe(404);
  });
});

describe("POST /mainform.cgi/Auto_Provision.htm", () => {
  const FORM = { ASU_METHOD: 2, FW_URL: "", NOW_FW: 0, CFG_URL: "http://p:q@127.62.5.251:8081/prov/", NOW_CFG: 0, FW_DYN: 0, CFG_DYN: 0, OPTVAL: 160, ASU_PERIOD: 3, ASU_HOURS: 24, ASU_EDTIME: 0, ASU_EDWDAY: 0, ASU_EDWTIME: 0, ASU_RANDOM: 120 };

  it("is refused with 301 (nothing stored) without a prior GET info.htm", async () => {
    const before = await stored(1);
    const res = await call(web("/mainform.cgi/Auto_Provision.htm", 1), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(FORM) });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe("/mainform.cgi/info.htm");
    expect(await stored(1)).toEqual(before);
  });

  it("after GET info.htm stores the configurator's fields in the provisioning keys", async () => {
    await call(web("/mainform.cgi/info.htm"));
    const res = await post("/mainform.cgi/Auto_Provision.htm", FORM);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-status="applied"');
    expect((await stored()).values).toMatchObject({
      "provisioning/method": "STATIC",
      "provisioning/configuration/url": FORM.CFG_URL,
      "provisioning/firmware/url": "",
      "provisioning/url_option_value": 160,
      "provisioning/period/type": "POWER_UP",
      "provisioning/period/hourly/hours_interval": 24,
      "provisioning/period/daily/time": "00:00",
      "provisioning/period/weekly/day": "SUNDAY",
      "provisioning/random_provisioning_time": 120,
    });
    expect((await call(web("/mainform.cgi/Auto_Provision.htm"))).text).toContain('name="ASU_METHOD" value="2"');
  });

  it("a bad field is 400 naming it, and nothing is stored", async () => {
    await call(web("/mainform.cgi/info.htm"));
    const before = await stored();
    for (const [fields, field] of [[{ OPTVAL: "abc" }, "OPTVAL"], [{ OPTVAL: 300 }, "OPTVAL"], [{ ASU_METHOD: 7, ASU_RANDOM: 5 }, "ASU_METHOD"]] as const) {
      const res = await post("/mainform.cgi/Auto_Provision.htm", fields);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`data-field="${field}"`);
    }
    expect(await stored()).toEqual(before);
  });

  it("NOW_CFG=1 fetches the file from CFG_URL at once", async () => {
    prov.files.set(`/prov/${fleet.devices[0].identity.mac.replace(/:/g, "")}.cfg`, "voip/dialing/timeout=6\nvoip/line/0/id=1001\n");
    await call(web("/mainform.cgi/info.htm"));
    expect((await post("/mainform.cgi/Auto_Provision.htm", { NOW_CFG: 1 })).status).toBe(200);
    await eventually(() => stored(), (c) => c.values["voip/dialing/timeout"] === 6);
    const fetches = (await call(R.control(`/devices/${fleet.devices[0].ip}/fetches`), { auth: false })).json<{ status: number }[]>();
    expect(fetches.at(-1)).toMatchObject({ status: 200, url: expect.stringContaining("/prov/00908f3e0501.cfg") });
  });
});

describe("configuration file", () => {
  it("manu_config.htm links the download and the upload form", async () => {
    const html = (await call(web("/mainform.cgi?go=manu_config.htm", 1))).text;
    expect(html).toContain('href="/mainform.cgi/config_file.cfg"');
    expect(html).toContain('action="/mainform.cgi/config_upload.htm"');
  });

  it("downloads key=value in the phone's tree (secrets masked) and uploads a changed file atomically", async () => {
    const download = await call(web("/mainform.cgi/config_file.cfg", 1));
    expect(download.headers["content-disposition"]).toBe('attachment; filename="00908f3e0502.cfg"');
    expect(download.text).toContain("voip/signalling/sip/redundant_proxy/port=5060\n");
    expect(download.text).toContain("voip/line/0/auth_password=********\n");
    const edited = download.text.replace("redundant_proxy/port=5060", "redundant_proxy/port=5070");

    const multipart = new FormData();
    multipart.set("config_file", new Blob([edited], { type: "text/plain" }), "phone.cfg");
    const res = await request(web("/mainform.cgi/config_upload.htm", 1), { method: "POST", body: multipart, headers: { authorization: basic() } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toContain('data-status="applied"');
    const after = await stored(1);
    expect(after.values["voip/signalling/sip/redundant_proxy/port"]).toBe(5070);
    expect(after.values["voip/line/0/auth_password"]).toBe("sippw");

    const bad = await call(web("/mainform.cgi/config_upload.htm", 1), {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: edited.replace("redundant_proxy/port=5070", "redundant_proxy/port=5080").replace("media_tos=184", "media_tos=0xb8") + "voip/signalling/sip/stun/enabled=1\n",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('data-field="voip/signalling/sip/stun/enabled">voip/signalling/sip/stun/enabled: unknown parameter');
    expect(bad.text).toContain('data-field="voip/media/media_tos"');
    expect(await stored(1)).toEqual(after);
  });
});

describe("reboot and counters", () => {
  it("POST reboot.htm REBOOT=2 restarts the phone; the control surface counts web requests", async () => {
    const ip = fleet.devices[1].ip;
    const before = (await call(R.control(`/devices/${ip}`), { auth: false })).json<{ requests: Record<string, number> }>();
    expect(before.requests.web).toBeGreaterThan(0);
    expect((await call(web("/mainform.cgi/reboot.htm", 1), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "REBOOT=1" })).status).toBe(400);
    const res = await call(web("/mainform.cgi/reboot.htm", 1), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "REBOOT=2" });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-status="rebooting"');
    await eventually(() => call(R.control(`/devices/${ip}`), { auth: false }).then((r) => r.json<{ listening: boolean; uptimeS: number }>()), (s) => !s.listening);
    await eventually(() => call(R.control(`/devices/${ip}`), { auth: false }).then((r) => r.json<{ listening: boolean }>()), (s) => s.listening);
  });
});
