// A `web` device (the AudioCodes-family web interface, 310HD key tree) of the real emulator through the portal's real
// REST routes and save path: it is read (canonical keys from the phone's own file), a change is pushed and verified by
// read-back (the phone's stored config checked on the emulator's control surface, not through the portal), its
// registration status is shown (the real poller reading /voip_status.cgi from a phone registered to a demo
// registrar), and a bad value — or a parameter the model lacks — is refused without touching the phone.
// Loopback range 127.63.1.x (helper i11-web).
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { createDemoRegistrar, type DemoRegistrar } from "../../emulator/src/sip/registrar";
import * as list from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as statusRoute from "@/app/api/v1/devices/[id]/status/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import { closeDeviceClients } from "@/lib/device";
import { driverFor } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { Poller } from "@/lib/poller";
import { saveDeviceConfig, syncFromDevice } from "@/lib/push";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const PHONE_IP = "127.63.1.1";
const REGISTRAR = "127.63.1.201:5060";
const SIP = "voip/signalling/sip/";
const RED = `${SIP}redundant/`;
const HD_RED = `${SIP}redundant_proxy/`;

let fleet: Emulator;
let registrar: DemoRegistrar;
let id = "";

type Stored = { revision: number; values: Record<string, string | number> };
async function control<T>(path: string): Promise<T> {
  const res = await request(`http://${fleet.controlAddress}${path}`);
  return (await res.body.json()) as T;
}
const stored = () => control<Stored>(`/devices/${PHONE_IP}/config`);
const webRequests = async () => (await control<{ requests: Record<string, number> }>(`/devices/${PHONE_IP}`)).requests.web ?? 0;

beforeAll(async () => {
  Object.assign(process.env, { DEVICE_TIMEOUT_MS: "3000" });
  registrar = createDemoRegistrar({ host: "127.63.1.201", port: 5060 });
  await registrar.start();
  fleet = await startFleet({
    devices: 1,
    firstIp: PHONE_IP,
    httpPort: 8080,
    api: "web",
    keyProfile: "audiocodes-hd",
    proxy: REGISTRAR,
    username: "admin",
    password: "web-secret",
    controlHost: "127.63.1.250",
    controlPort: 0,
  });
  const created = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "Board room HD", address: `${PHONE_IP}:8080`, username: "admin", password: "web-secret", driver: "web", model: "audiocodes-hd" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  id = created.body.id;
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await registrar?.stop();
  await closeDeviceClients();
});

describe("web driver against the emulated web interface", () => {
  it("reads the phone: its own file mapped to canonical keys and spellings", async () => {
    const sync = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    // Catalog defaults of parameters the model lacks are not "pending" on it.
    expect(sync.body.state ?? sync.body.config?.state, JSON.stringify(sync.body)).toBe("in_sync");
    const read = await call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, params: { id } });
    expect(read.status).toBe(200);
    const phone = (await stored()).values;
    const v = read.body.values as Record<string, unknown>;
    expect(v[`${SIP}proxy_address`]).toBe(phone[`${SIP}proxy_address`]);
    expect(v[`${SIP}proxy_address`]).toBe("127.63.1.201");
    // 310HD spellings back in the catalog's: UDP → udp, decimal TOS → hex, the redundant_proxy subtree → redundant/.
    expect(phone[`${SIP}transport_protocol`]).toBe("UDP");
    expect(v[`${SIP}transport_protocol`]).toBe("udp");
    expect(phone["voip/media/media_tos"]).toBe(184);
    expect(v["voip/media_tos"]).toBe("0xb8");
    expect(v[`${RED}redundant_proxy_port`]).toBe(phone[`${HD_RED}port`]);
    // What the model lacks is not read as the phone's.
    const driver = driverFor(await getDeviceCredentials(id));
    expect(driver.kind).toBe("web");
    const own = await driver.getConfig();
    expect(own.values).not.toHaveProperty(`${SIP}stun/enabled`);
    expect(own.values[`${SIP}proxy_address`]).toBe("127.63.1.201");
  });

  it("pushes a change as a whole-file upload, verified by reading it back", async () => {
    const before = await webRequests();
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${RED}use_redundant_proxy`]: 1, [`${RED}redundant_proxy_address`]: "192.0.2.44", [`${RED}redundant_proxy_port`]: 5070 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe("in_sync");
    const phone = (await stored()).values;
    expect(phone[`${HD_RED}enabled`]).toBe(1);
    expect(phone[`${HD_RED}address`]).toBe("192.0.2.44");
    expect(phone[`${HD_RED}port`]).toBe(5070);
    // Untouched keys survive the whole-file upload.
    expect(phone[`${SIP}proxy_address`]).toBe("127.63.1.201");
    // download (diff) + download (If-Match stand-in) + upload + download (read-back) + the push's own read-back
    expect((await webRequests()) - before).toBeGreaterThanOrEqual(4);
  });

  it("a bad value and a parameter the model lacks are refused without touching the phone", async () => {
    const before = { requests: await webRequests(), config: await stored() };
    const bad = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${RED}redundant_proxy_port`]: 70000 } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[`${RED}redundant_proxy_port`]).toMatch(/1024/);
    const lacking = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${SIP}stun/enabled`]: 1 } },
    });
    expect(lacking.status).toBe(422);
    expect(lacking.body.error.fields[`${SIP}stun/enabled`]).toMatch(/not supported by this model \(AudioCodes/i);
    expect(await webRequests()).toBe(before.requests);
    expect(await stored()).toEqual(before.config);
  });

  it("a value only the phone refuses comes back on the portal's field name, and the phone changes nothing", async () => {
    const off = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [`${RED}use_redundant_proxy`]: 0 } } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    // Set on the phone itself: an out-of-range keep-alive period, harmless while redundancy is off.
    const local = await request(`http://${fleet.controlAddress}/devices/${PHONE_IP}/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ values: { [`${HD_RED}keepalive_period`]: 999 } }),
    });
    expect(local.statusCode).toBeLessThan(300);
    await local.body.dump();
    const before = await stored();
    const on = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [`${RED}use_redundant_proxy`]: 1 } } });
    expect(on.status, JSON.stringify(on.body)).toBe(422);
    expect(on.body.error.code).toBe("rejected_by_device");
    expect(Object.keys(on.body.error.fields)).toContain(`${RED}redundant_proxy_ka_period`);
    expect(await stored()).toEqual(before);
  });

  // The upload carries a file downloaded right before it (its hash checked against the read the change was computed
  // on), never the stale first read: a naive whole-file upload would put the old dial timeout back.
  it("a change made on the phone between the push's read and its upload is neither overwritten nor lost", async () => {
    const setOnPhone = async (values: Record<string, unknown>) => {
      const res = await request(`http://${fleet.controlAddress}/devices/${PHONE_IP}/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ values }) });
      await res.body.dump();
      expect(res.statusCode).toBeLessThan(300);
    };
    await setOnPhone({ [`${HD_RED}keepalive_period`]: 60 }); // undo the previous test's local value
    expect((await syncFromDevice(id, "test")).ok).toBe(true);
    let raced = false;
    const r = await saveDeviceConfig(
      { deviceId: id, actor: "test", changes: { [`${RED}redundant_proxy_port`]: 5080 } },
      {
        beforePatch: async () => {
          if (raced) return;
          raced = true;
          await setOnPhone({ "voip/dialing/timeout": 9 }); // someone at the phone, meanwhile
        },
      },
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(raced).toBe(true);
    const phone = (await stored()).values;
    expect(phone[`${HD_RED}port`]).toBe(5080);
    expect(phone["voip/dialing/timeout"]).toBe(9);
  });

  it("shows the registration status the poller reads from the web interface", async () => {
    const poller = new Poller({ intervalS: 1, concurrency: 2, timeoutMs: 2_000 });
    await poller.start();
    try {
      await expect
        .poll(async () => (await call(statusRoute.GET, "GET", `/devices/${id}/status`, { token: f.viewer, params: { id } })).body.state, { timeout: 20_000 })
        .toBe("registered");
      const s = await call(statusRoute.GET, "GET", `/devices/${id}/status`, { token: f.viewer, params: { id } });
      expect(s.body.proxy).toBe("primary");
    } finally {
      await poller.stop();
    }
  });
});
