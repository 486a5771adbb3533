// "Point at the provisioning server": a web-interface phone (310HD tree) of the real emulator becomes a provisioning
// phone through the portal's real route. The portal writes the provisioning keys through the phone's web form, reads
// them back, switches the driver, and the phone then fetches its <mac>.cfg from the portal's real provisioning route —
// after which a change reaches it by check-sync. Each phone's truth comes from the emulator's control surface (its
// stored config and its own fetch log), not from the portal. Loopback 127.63.21.x (helper s5-real).
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as list from "@/app/api/v1/devices/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as provisioningRoute from "@/app/api/v1/devices/[id]/provisioning/route";
import * as pointRoute from "@/app/api/v1/devices/[id]/provisioning/point/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { closeDeviceClients } from "@/lib/device";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { closeSharedSipClient } from "@/lib/sip";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { startProvisioningPortal } from "../support/provisioning-portal";

const f = useApiFixture();
const PORTAL = { host: "127.63.21.100", port: 40631 };
const PORTAL_URL = `http://${PORTAL.host}:${PORTAL.port}`;
const PHONE_IP = "127.63.21.1";
// The emulator's MAC: the audiocodes-hd OUI 00:90:8f + the address's last three bytes (63.21.1).
const MAC = "00908f3f1501";
const SIP = "voip/signalling/sip/";
const LINE_PASSWORD = "voip/line/0/auth_password";

let portal: { close(): Promise<void> };
let fleet: Emulator;
let id = "";

type Stored = { revision: number; values: Record<string, string | number> };
type Fetch = { at: string; url: string; status: number; bytes: number };
async function control<T>(path: string): Promise<T> {
  const res = await request(`http://${fleet.controlAddress}${path}`);
  return (await res.body.json()) as T;
}
const stored = async () => (await control<Stored>(`/devices/${PHONE_IP}/config`)).values;
const phoneFetches = () => control<Fetch[]>(`/devices/${PHONE_IP}/fetches`);
const audited = async (action: string) =>
  (await getDb()).select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.targetId, id)));
const point = (deviceId: string, body: unknown, token = f.admin) =>
  call(pointRoute.POST, "POST", `/devices/${deviceId}/provisioning/point`, { token, params: { id: deviceId }, body });

beforeAll(async () => {
  Object.assign(process.env, {
    PROVISIONING_USERNAME: "phones",
    PROVISIONING_PASSWORD: "point-pw",
    PROVISIONING_FETCH_TIMEOUT_S: "10",
    SIP_BIND: "127.63.21.200",
    DEVICE_TIMEOUT_MS: "3000",
  });
  resetProvisioningSettings();
  portal = await startProvisioningPortal(PORTAL.host, PORTAL.port);
  fleet = await startFleet({
    devices: 1,
    firstIp: PHONE_IP,
    httpPort: 8080,
    api: "web",
    keyProfile: "audiocodes-hd",
    proxy: "127.63.21.201:5060",
    username: "admin",
    password: "web-secret",
    sipPassword: "line-secret",
    controlHost: "127.63.21.250",
    controlPort: 0,
  });
  const created = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "Reception HD", address: `${PHONE_IP}:8080`, username: "admin", password: "web-secret", driver: "web", model: "audiocodes-hd" },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  id = created.body.id;
  const read = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
  expect(read.status, JSON.stringify(read.body)).toBe(200);
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  await closeSharedSipClient();
  await closeDeviceClients();
  await portal?.close();
});

describe("pointing a web-interface phone at the provisioning server", () => {
  it("refuses bad input, other drivers and viewers before touching anything", async () => {
    const before = await stored();
    const bad = await point(id, { portalUrl: "ftp://portal/provisioning" });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.portalUrl).toMatch(/http or https/);
    const withPath = await point(id, { portalUrl: `http://user:pw@${PORTAL.host}:${PORTAL.port}/x` });
    expect(withPath.status).toBe(422);
    const viewer = await point(id, { portalUrl: PORTAL_URL }, f.viewer);
    expect(viewer.status).toBe(403);
    const api = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Not a web phone", address: "127.63.21.9:8080", driver: "api" } });
    expect(api.status).toBe(201);
    const other = await point(api.body.id, { portalUrl: PORTAL_URL });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/only a phone managed through its web interface/);
    expect(await stored()).toEqual(before);
  });

  it("refuses while the portal does not hold the line's SIP password (the file would clear it), and changes nothing", async () => {
    const before = await stored();
    expect(before[LINE_PASSWORD]).toBe("line-secret");
    const r = await point(id, { portalUrl: PORTAL_URL });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error.fields).toHaveProperty(LINE_PASSWORD);
    expect(r.body.error.message).toMatch(/SIP password the portal does not hold/);
    expect(await stored()).toEqual(before);
    const device = await call(deviceRoute.GET, "GET", `/devices/${id}`, { token: f.admin, params: { id } });
    expect(device.body.driver).toBe("web");
    expect(device.body.mac).toBeNull();
    expect((await audited("device.point_at_provisioning_failed")).at(-1)?.details).toMatchObject({ code: "conflict" });
  });

  it("writes the provisioning keys through the web form, verifies them, switches the driver, and the phone fetches its file", async () => {
    // The admin gives the portal the line's password (pushed through the web interface like any change).
    const pw = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [LINE_PASSWORD]: "line-secret" } } });
    expect(pw.status, JSON.stringify(pw.body)).toBe(200);
    expect(pw.body.state).toBe("in_sync");
    const before = await stored();
    expect(before["provisioning/method"]).toBe("DYNAMIC");
    const fetchesBefore = (await phoneFetches()).length;

    const r = await point(id, { portalUrl: `${PORTAL_URL}/` });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.device).toMatchObject({ driver: "provisioning", mac: MAC, model: "audiocodes-hd" });
    expect(r.body.configUrl).toBe(`http://phones:********@${PORTAL.host}:${PORTAL.port}/provisioning/`);
    expect(r.body.fetched).not.toBeNull();
    expect(r.body.message).toMatch(/fetched revision \d+/);

    // On the phone: the family's provisioning keys, with the credentials it fetches with.
    const after = await stored();
    expect(after["provisioning/method"]).toBe("STATIC");
    expect(after["provisioning/configuration/url"]).toBe(`http://phones:point-pw@${PORTAL.host}:${PORTAL.port}/provisioning/`);
    // The phone's own log: it fetched <mac>.cfg from the portal and got the file.
    const fetches = (await phoneFetches()).slice(fetchesBefore);
    expect(fetches.some((x) => x.url.endsWith(`/provisioning/${MAC}.cfg`) && x.status === 200), JSON.stringify(fetches)).toBe(true);
    // The portal recorded it (the device page's list), and the file kept what the phone held, its password included.
    const prov = await call(provisioningRoute.GET, "GET", `/devices/${id}/provisioning`, { token: f.viewer, params: { id } });
    expect(prov.body.fetches.length).toBeGreaterThan(0);
    expect(prov.body.fetches[0].revision).toBe(r.body.fetched.revision);
    expect(after[LINE_PASSWORD]).toBe("line-secret");
    const [entry] = await audited("device.point_at_provisioning");
    expect(entry).toMatchObject({ actor: "root", details: { before: { driver: "web", mac: null }, after: { driver: "provisioning", mac: MAC } } });
    expect(JSON.stringify(entry.details)).not.toContain("point-pw");
    expect(after[`${SIP}proxy_address`]).toBe(before[`${SIP}proxy_address`]);
    expect(after[`${SIP}redundant_proxy/port`]).toBe(before[`${SIP}redundant_proxy/port`]);
  });

  it("is then a provisioning phone: a change reaches it by check-sync", async () => {
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${SIP}redundant/use_redundant_proxy`]: 1, [`${SIP}redundant/redundant_proxy_address`]: "192.0.2.81", [`${SIP}redundant/redundant_proxy_port`]: 5081 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe("in_sync");
    await eventually("the change on the phone", async () => (await stored())[`${SIP}redundant_proxy/port`], (p) => p === 5081, 10_000);
    expect((await stored())[`${SIP}redundant_proxy/address`]).toBe("192.0.2.81");
  });

  it("a second attempt is refused: the device is no longer a web phone", async () => {
    const again = await point(id, { portalUrl: PORTAL_URL });
    expect(again.status).toBe(409);
  });
});
