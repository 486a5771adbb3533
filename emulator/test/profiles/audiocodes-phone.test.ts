// An audiocodes-hd phone over real HTTP and SIP: the JSON device API speaks the 310HD tree, the SIP user agent
// registers with the redundant proxy it was given in that tree, and the manifest names its MAC and profile.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { createDemoRegistrar, type DemoRegistrar } from "../../src/sip/registrar";
import { call, eventually, startTestFleet } from "../http/support";
import { ownRange } from "../support/own-range";

const R = ownRange(2);
const api = (path: string, i = 0) => R.device(i, `/api/v1${path}`);
const dir = mkdtempSync(path.join(tmpdir(), "emu-ac-"));
const manifest = path.join(dir, "manifest.json");

let fleet: Emulator;
let primary: DemoRegistrar;
let redundant: DemoRegistrar;
beforeAll(async () => {
  primary = createDemoRegistrar({ host: "127.62.2.201", port: 5060 });
  redundant = createDemoRegistrar({ host: "127.62.2.202", port: 5060 });
  await Promise.all([primary.start(), redundant.start()]);
  fleet = await startTestFleet({
    devices: 2,
    firstIp: R.firstIp,
    controlHost: R.controlHost,
    controlPort: R.controlPort,
    keyProfile: "audiocodes-hd",
    proxy: "127.62.2.201:5060",
    redundantProxy: "127.62.2.202:5060",
    t1: 100,
    kaPeriod: 1,
    manifest,
  });
});
afterAll(async () => {
  await fleet?.stop();
  await Promise.all([primary?.stop(), redundant?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

type Config = { revision: number; values: Record<string, string | number> };

describe("audiocodes-hd phone", () => {
  it("serves its own tree on GET /config and config.cfg", async () => {
    const { values } = (await call(api("/config"))).json<Config>();
    expect(values).toMatchObject({
      "voip/signalling/sip/redundant_proxy/enabled": 1,
      "voip/signalling/sip/redundant_proxy/address": "127.62.2.202",
      "voip/signalling/sip/redundant_proxy/port": 5060,
      "voip/signalling/sip/redundant_proxy/keepalive_period": 1,
      "voip/signalling/sip/transport_protocol": "UDP",
      "voip/media/out_of_band_dtmf": "RFC2833",
      "voip/media/media_tos": 184,
    });
    expect(Object.keys(values).some((k) => k.startsWith("voip/signalling/sip/redundant/"))).toBe(false);
    expect(values).not.toHaveProperty("voip/signalling/sip/stun/enabled");
    const cfg = (await call(api("/config.cfg"))).text;
    expect(cfg).toContain("voip/media/media_tos=184\n");
    expect(cfg).toContain("provisioning/method=DYNAMIC\n");
  });

  it("PATCH takes its own keys and spellings and refuses the reference's", async () => {
    const ok = await call(api("/config"), { method: "PATCH", body: { values: { "voip/signalling/sip/transport_protocol": "TCP", "voip/media/media_tos": 46 } } });
    expect(ok.status).toBe(200);
    const bad = await call(api("/config"), { method: "PATCH", body: { values: { "voip/signalling/sip/redundant/redundant_proxy_port": 5070, "voip/media/media_tos": "0x2e" } } });
    expect(bad.status).toBe(422);
    expect(bad.json()).toEqual({ errors: { "voip/signalling/sip/redundant/redundant_proxy_port": "unknown parameter", "voip/media/media_tos": "must be an integer" } });
    const stored = (await call(R.control(`/devices/${fleet.devices[0].ip}/config`), { auth: false })).json<Config>();
    expect(stored.values["voip/media/media_tos"]).toBe(46);
  });

  it("registers using the proxies of its own tree and fails over to its redundant_proxy", async () => {
    const status = await eventually(() => call(api("/status", 1)).then((r) => r.json()), (s) => s.state === "registered");
    expect(status).toMatchObject({ proxy: "primary", keepAlive: { redundant: { address: "127.62.2.202:5060" } } });
    await primary.stop();
    await eventually(() => call(api("/status", 1)).then((r) => r.json()), (s) => s.state === "registered" && s.proxy === "redundant", 30_000);
    await primary.start();
  });

  it("the manifest and GET /device name its MAC (AudioCodes prefix, from the IP) and key profile", async () => {
    const entries = JSON.parse(readFileSync(manifest, "utf8"));
    expect(entries[0]).toMatchObject({ address: "127.62.2.1:8080", mac: "00:90:8f:3e:02:01", keyProfile: "audiocodes-hd", api: "json", provisioning: false });
    expect((await call(api("/device"))).json()).toMatchObject({ mac: "00:90:8f:3e:02:01", keyProfile: "audiocodes-hd" });
  });
});
