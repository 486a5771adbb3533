// Demo registrars behind the control surface: stopping the primary makes the phones fail over, which the device
// API reports in /status and in the read-only is_redundant_proxy key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoProxies, type DemoProxies } from "../../src/control/proxies";
import type { Emulator } from "../../src/fleet/index";
import { call, controlUrl, deviceUrl, eventually, startTestFleet } from "./support";

const IS_REDUNDANT = "voip/signalling/sip/redundant/is_redundant_proxy";
let proxies: DemoProxies;
let fleet: Emulator;
beforeAll(async () => {
  proxies = await startDemoProxies("127.41.0.2:5060", "127.41.0.3:5060");
  fleet = await startTestFleet({
    devices: 1,
    proxy: "127.41.0.2:5060",
    redundantProxy: "127.41.0.3:5060",
    t1: 100,
    kaPeriod: 1,
    proxies: proxies.controls,
  });
});
afterAll(async () => {
  await fleet?.stop();
  await proxies?.stop();
});

const status = async () => (await call(deviceUrl(0, "/status"))).json();
const flag = async () => (await call(deviceUrl(0, "/config"))).json<{ values: Record<string, number> }>().values[IS_REDUNDANT];

describe("proxy controls", () => {
  it("fails over to the redundant proxy when the primary is stopped, and back when it starts", async () => {
    await eventually(status, (s) => s.state === "registered" && s.proxy === "primary");
    expect(await flag()).toBe(0);

    const stop = await call(controlUrl("/proxies/primary/stop"), { method: "POST", auth: false });
    expect(stop.json()).toEqual({ role: "primary", address: "127.41.0.2:5060", running: false });
    await eventually(status, (s) => s.state === "registered" && s.proxy === "redundant", 40_000);
    expect(await flag()).toBe(1);

    await call(controlUrl("/proxies/primary/start"), { method: "POST", auth: false });
    await eventually(status, (s) => s.state === "registered" && s.proxy === "primary", 40_000);
    expect(await flag()).toBe(0);
  });
});
