// An `api` device whose model is `audiocodes-hd`: the emulator's JSON API (`--api json --key-profile audiocodes-hd`)
// answers GET/PATCH /api/v1/config in the 310HD key tree, so the api driver maps through the model profile like the
// web driver and the provisioning file. Through the portal's real routes and save path: the phone is read (canonical
// keys and spellings from its own tree), a change is pushed in the phone's tree and verified by read-back (the
// stored config checked on the emulator's control surface), a value only the phone refuses comes back on the
// canonical field, and a parameter the model lacks never reaches it. Loopback 127.63.20.x (helper s5-real).
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as list from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import { closeDeviceClients } from "@/lib/device";
import { driverFor } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const PHONE_IP = "127.63.20.1";
const SIP = "voip/signalling/sip/";
const RED = `${SIP}redundant/`;
const HD_RED = `${SIP}redundant_proxy/`;

let fleet: Emulator;
let id = "";

type Stored = { revision: number; values: Record<string, string | number> };
async function control<T>(path: string, init?: { method: "POST"; body: unknown }): Promise<T> {
  const res = await request(`http://${fleet.controlAddress}${path}`, init && { method: init.method, headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) });
  expect(res.statusCode).toBeLessThan(300);
  return (await res.body.json()) as T;
}
const stored = () => control<Stored>(`/devices/${PHONE_IP}/config`);
const patches = async () => (await control<{ requests: Record<string, number> }>(`/devices/${PHONE_IP}`)).requests.patch ?? 0;

beforeAll(async () => {
  Object.assign(process.env, { DEVICE_TIMEOUT_MS: "3000" });
  fleet = await startFleet({
    devices: 1,
    firstIp: PHONE_IP,
    httpPort: 8080,
    api: "json",
    keyProfile: "audiocodes-hd",
    proxy: "127.63.20.201:5060",
    username: "admin",
    password: "api-secret",
    controlHost: "127.63.20.250",
    controlPort: 0,
  });
  const created = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "HD on the JSON API", address: `${PHONE_IP}:8080`, username: "admin", password: "api-secret", driver: "api", model: "audiocodes-hd" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  id = created.body.id;
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await closeDeviceClients();
});

describe("api driver with the audiocodes-hd model", () => {
  it("reads the phone's 310HD tree as canonical keys and spellings", async () => {
    const phone = (await stored()).values;
    // The phone really speaks the other tree on its JSON API (the premise of the mapping).
    expect(phone).toHaveProperty(`${HD_RED}port`);
    expect(Object.keys(phone).some((k) => k.startsWith(RED))).toBe(false);
    const sync = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body.state).toBe("in_sync");
    const read = await call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, params: { id } });
    const v = read.body.values as Record<string, unknown>;
    expect(v[`${SIP}proxy_address`]).toBe("127.63.20.201");
    expect(phone[`${SIP}transport_protocol`]).toBe("UDP");
    expect(v[`${SIP}transport_protocol`]).toBe("udp");
    expect(phone["voip/media/media_tos"]).toBe(184);
    expect(v["voip/media_tos"]).toBe("0xb8");
    expect(v[`${RED}redundant_proxy_port`]).toBe(phone[`${HD_RED}port`]);
    expect(v["voip/dial_timeout"]).toBe(phone["voip/dialing/timeout"]);
    const driver = driverFor(await getDeviceCredentials(id));
    expect(driver.kind).toBe("api");
    const own = await driver.getConfig();
    expect(own.values).not.toHaveProperty(`${HD_RED}port`);
    expect(own.values).not.toHaveProperty(`${SIP}stun/enabled`);
  });

  it("pushes a change in the phone's own keys and spellings, verified by read-back", async () => {
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: {
        values: {
          [`${RED}use_redundant_proxy`]: 1,
          [`${RED}redundant_proxy_address`]: "192.0.2.61",
          [`${RED}redundant_proxy_port`]: 5071,
          [`${SIP}transport_protocol`]: "tcp",
          "voip/media_tos": "0x2e",
        },
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe("in_sync");
    const phone = (await stored()).values;
    expect(phone[`${HD_RED}enabled`]).toBe(1);
    expect(phone[`${HD_RED}address`]).toBe("192.0.2.61");
    expect(phone[`${HD_RED}port`]).toBe(5071);
    expect(phone[`${SIP}transport_protocol`]).toBe("TCP");
    expect(phone["voip/media/media_tos"]).toBe(46);
    // Read back through the portal: the canonical spelling again, and nothing drifted.
    const sync = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
    expect(sync.body.state, JSON.stringify(sync.body)).toBe("in_sync");
    const read = await call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, params: { id } });
    expect(read.body.values[`${RED}redundant_proxy_port`]).toBe(5071);
    expect(read.body.values[`${SIP}transport_protocol`]).toBe("tcp");
    expect(read.body.values["voip/media_tos"]).toBe("0x2e");
    // What the model lacks is absent, not its catalog default shown as the phone's (the mt505 tree has it).
    expect(read.body.values).not.toHaveProperty(`${SIP}stun/enabled`);
    expect(read.body.values).toHaveProperty(`${SIP}proxy_port`);
  });

  it("a value only the phone refuses comes back on the canonical field, and the phone changes nothing", async () => {
    const off = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [`${RED}use_redundant_proxy`]: 0 } } });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    // Set on the phone itself: an out-of-range keep-alive period, harmless while redundancy is off.
    await control(`/devices/${PHONE_IP}/config`, { method: "POST", body: { values: { [`${HD_RED}keepalive_period`]: 999 } } });
    const before = await stored();
    const on = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [`${RED}use_redundant_proxy`]: 1 } } });
    expect(on.status, JSON.stringify(on.body)).toBe(422);
    expect(on.body.error.code).toBe("rejected_by_device");
    expect(Object.keys(on.body.error.fields)).toContain(`${RED}redundant_proxy_ka_period`);
    expect(Object.keys(on.body.error.fields).some((k) => k.startsWith(HD_RED))).toBe(false);
    expect(await stored()).toEqual(before);
    await control(`/devices/${PHONE_IP}/config`, { method: "POST", body: { values: { [`${HD_RED}keepalive_period`]: 60 } } });
  });

  it("a parameter the model lacks is refused by name and never reaches the phone", async () => {
    const before = { patches: await patches(), config: await stored() };
    const lacking = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [`${SIP}stun/enabled`]: 1 } } });
    expect(lacking.status).toBe(422);
    expect(lacking.body.error.fields[`${SIP}stun/enabled`]).toMatch(/not supported by this model \(AudioCodes/i);
    // Below the API's check: the driver itself refuses it before contacting the phone.
    const driver = driverFor(await getDeviceCredentials(id));
    await expect(driver.patchConfig({ [`${SIP}stun/enabled`]: 1 }, { ifMatch: 0 })).rejects.toMatchObject({ code: "rejected", fields: { [`${SIP}stun/enabled`]: expect.stringMatching(/not supported/i) } });
    expect(await patches()).toBe(before.patches);
    expect(await stored()).toEqual(before.config);
  });
});
