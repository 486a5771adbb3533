// DEVICE_NETWORKS (issue 13): with it set, the portal talks to phones inside those networks only and never points
// phones at a proxy outside them. Checked on input (a 422 naming the field, nothing stored) and on every connection
// (a device stored earlier, or a host name, is refused before a single byte is sent).
// Address range (i13-sec): emulated phone 127.68.3.1:8080; a plain listener on 127.68.3.9 counts connections.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as previewRoute from "@/app/api/v1/jobs/preview/route";
import { closeDeviceClients } from "@/lib/device";
import { parseEnv } from "@/lib/env";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const PHONE = "127.68.3.1";
const PROXY = "voip/signalling/sip/proxy_address";
let fleet: Emulator;
let listener: http.Server;
let connections = 0;
let phoneId = "";

beforeAll(async () => {
  fleet = await startFleet({ devices: 1, firstIp: PHONE, httpPort: 8080, username: "admin", password: "pw", sip: false, controlHost: "127.68.3.200", controlPort: 8080 });
  listener = http.createServer((_req, res) => res.end("{}"));
  listener.on("connection", () => connections++);
  await new Promise<void>((r) => listener.listen(0, "127.68.3.9", r));
  const made = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "inside", address: `${PHONE}:8080`, username: "admin", password: "pw" } });
  expect(made.status).toBe(201);
  phoneId = made.body.id;
});
afterEach(async () => {
  delete process.env.DEVICE_NETWORKS;
  await closeDeviceClients(); // pooled sockets were opened under the previous setting
});
afterAll(async () => {
  await closeDeviceClients();
  await fleet?.stop();
  await new Promise((r) => listener?.close(r));
});

const restrict = async (nets: string) => {
  process.env.DEVICE_NETWORKS = nets;
  await closeDeviceClients();
};

describe("DEVICE_NETWORKS", () => {
  it("a bad value stops the start, naming the variable", () => {
    expect(() => parseEnv({ DEVICE_NETWORKS: "10.0.0.0/8, not-a-net" })).toThrow(/DEVICE_NETWORKS/);
    expect(parseEnv({ DEVICE_NETWORKS: "10.0.0.0/8, 192.0.2.7, fd00::/8" }).DEVICE_NETWORKS).toBe("10.0.0.0/8, 192.0.2.7, fd00::/8");
  });

  it("device and SIP addresses outside the networks are refused on create, edit and import; nothing is stored", async () => {
    await restrict("127.68.3.0/24");
    const before = (await call(devicesRoute.GET, "GET", "/devices?pageSize=100", { token: f.admin })).body.total;
    const out = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "outside", address: "127.69.9.9:80" } });
    expect(out.status).toBe(422);
    expect(out.body.error.fields.address).toMatch(/127\.69\.9\.9 is outside the networks .*DEVICE_NETWORKS: 127\.68\.3\.0\/24/);
    const sip = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "sip outside", address: "127.68.3.50:80", sipAddress: "192.0.2.1:5060" } });
    expect(sip.status).toBe(422);
    expect(Object.keys(sip.body.error.fields)).toEqual(["sipAddress"]);
    const edit = await call(deviceRoute.PATCH, "PATCH", `/devices/${phoneId}`, { token: f.admin, params: { id: phoneId }, body: { address: "127.0.0.1:8080" } });
    expect(edit.status).toBe(422);
    expect(edit.body.error.fields.address).toMatch(/127\.0\.0\.1 is outside/);
    const csv = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: "name,address\nok,127.68.3.60:80\nbad,10.1.2.3:80\n", headers: { "content-type": "text/csv" } });
    expect(csv.status).toBe(422);
    expect(csv.body.error.rows).toEqual([expect.objectContaining({ row: 3, field: "address", message: expect.stringMatching(/10\.1\.2\.3 is outside/) })]);
    expect((await call(devicesRoute.GET, "GET", "/devices?pageSize=100", { token: f.admin })).body.total).toBe(before);
    expect((await call(deviceRoute.GET, "GET", `/devices/${phoneId}`, { token: f.admin, params: { id: phoneId } })).body.address).toBe(`${PHONE}:8080`);
    // Inside the networks (and host names, resolved where the portal connects) are accepted.
    const inside = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "inside 2", address: "127.68.3.61:80", sipAddress: "127.68.3.61" } });
    expect(inside.status).toBe(201);
  });

  it("a stored device outside the networks, or a host name resolving outside, gets no connection at all", async () => {
    const port = (listener.address() as AddressInfo).port;
    const byIp = (await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "stored earlier", address: `127.68.3.9:${port}` } })).body.id;
    const byName = (await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "by name", address: `localhost:${port}` } })).body.id;
    await restrict(`${PHONE}/32`);
    connections = 0;
    for (const id of [byIp, byName]) {
      const r = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
      expect(r.status, JSON.stringify(r.body)).toBe(502);
      expect(r.body.error.code).toBe("unreachable");
      expect(r.body.error.message).toMatch(/outside the networks the portal may reach \(DEVICE_NETWORKS: 127\.68\.3\.1\/32\)/);
    }
    expect(connections).toBe(0);
    // The phone inside is read as usual.
    expect((await call(syncRoute.POST, "POST", `/devices/${phoneId}/sync`, { token: f.admin, params: { id: phoneId } })).status).toBe(200);
  });

  it("phones are never pointed at a proxy address outside the networks (single edit and bulk)", async () => {
    await restrict("127.68.3.0/24");
    const read = await call(configRoute.GET, "GET", `/devices/${phoneId}/config`, { token: f.admin, params: { id: phoneId } });
    const revision = read.body.revision;
    const phoneBefore = (await call(syncRoute.POST, "POST", `/devices/${phoneId}/sync`, { token: f.admin, params: { id: phoneId } })).body.deviceRevision;
    const bad = await call(configRoute.PATCH, "PATCH", `/devices/${phoneId}/config`, { token: f.admin, params: { id: phoneId }, body: { values: { "voip/signalling/sip/use_proxy": 1, [PROXY]: "203.0.113.5" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields[PROXY]).toMatch(/203\.0\.113\.5 is outside/);
    const after = await call(configRoute.GET, "GET", `/devices/${phoneId}/config`, { token: f.admin, params: { id: phoneId } });
    expect(after.body.revision).toBe(revision);
    expect((await call(syncRoute.POST, "POST", `/devices/${phoneId}/sync`, { token: f.admin, params: { id: phoneId } })).body.deviceRevision).toBe(phoneBefore);
    const bulk = await call(previewRoute.POST, "POST", "/jobs/preview", { token: f.admin, body: { selection: { deviceIds: [phoneId] }, values: { [PROXY]: "198.51.100.7" } } });
    expect(bulk.status).toBe(422);
    expect(bulk.body.error.fields[PROXY]).toMatch(/198\.51\.100\.7 is outside/);
    const ok = await call(configRoute.PATCH, "PATCH", `/devices/${phoneId}/config`, { token: f.admin, params: { id: phoneId }, body: { values: { "voip/signalling/sip/use_proxy": 1, [PROXY]: "127.68.3.250" } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});
