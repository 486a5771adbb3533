// SIP reachability of phones that report no status themselves (driver "provisioning"): the proxy prober sends
// OPTIONS (RFC 3261 retransmissions, lib/sip) to each one's SIP address. Against the real emulator: provisioning
// phones answer (reachable, no registration state invented), a phone taken offline on the emulator's control
// surface becomes "unreachable" (stored, in the timeline, on the bus) and clears when it answers again; an address
// where nothing answers is unreachable with the transaction's reason. Loopback range 127.68.4.x (sec-net).
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMix, startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as statusRoute from "@/app/api/v1/devices/[id]/status/route";
import { createEventBus, type StatusEvent } from "@/lib/events";
import { createSipClient, type SipClient } from "@/lib/sip";
import { startProxyProber, stopProxyProber, type ProxyProber } from "@/lib/proxy-health";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";

const f = useApiFixture();
const NET = "127.68.4";
const SILENT = `${NET}.9:5060`; // nothing listens here

let fleet: Emulator | undefined;
let sip: SipClient;
let prober: ProxyProber;
const events: StatusEvent[] = [];
const ids: string[] = [];
let silentId = "";

interface Status {
  state: string | null;
  lastError: string | null;
  reachability: { target: string; reachable: boolean | null; rttMs: number | null; checkedAt: string | null; lastError: string | null } | null;
  history: { to: { state: string }; reason: string }[];
}
const status = async (id: string) => {
  const r = await call(statusRoute.GET, "GET", `/devices/${id}/status`, { token: f.viewer, params: { id } });
  expect(r.status).toBe(200);
  return r.body as Status;
};
const fault = (ip: string, mode: string) => request(`http://${fleet!.controlAddress}/devices/${ip}/fault`, { method: "POST", body: JSON.stringify({ mode }), headers: { "content-type": "application/json" } });

beforeAll(async () => {
  fleet = await startFleet({ firstIp: `${NET}.1`, httpPort: 8080, mix: parseMix("provisioning@audiocodes-hd:2", "mt505"), controlPort: 0, t1: 100 });
  for (const [i, d] of fleet.devices.entries()) {
    const r = await call(list.POST, "POST", "/devices", {
      token: f.admin,
      body: { name: `prov-${i + 1}`, address: `${d.identity.ip}:8080`, driver: "provisioning", model: "audiocodes-hd", mac: d.identity.mac },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.id);
  }
  const silent = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "prov-silent", address: `${NET}.9:8080`, sipAddress: SILENT, driver: "provisioning", model: "audiocodes-hd", mac: "00908f440409" },
  });
  expect(silent.status, JSON.stringify(silent.body)).toBe(201);
  silentId = silent.body.id;
  sip = await createSipClient({ host: `${NET}.200` });
  const bus = createEventBus();
  bus.subscribe("status", (e) => events.push(e));
  prober = startProxyProber({ intervalS: 1, timeoutMs: 1_000, bus, sip: async () => sip });
}, 120_000);

afterAll(async () => {
  await stopProxyProber();
  await sip?.close();
  await fleet?.stop();
});

describe("SIP OPTIONS reachability of provisioning phones", () => {
  it("phones that answer OPTIONS are reachable, with no registration state made up", async () => {
    for (const [i, id] of ids.entries()) {
      const s = await eventually(`prov-${i + 1} checked`, () => status(id), (v) => v.reachability?.reachable != null);
      expect(s.reachability).toMatchObject({ target: `${fleet!.devices[i].identity.ip}:5060`, reachable: true, lastError: null });
      expect(s.reachability!.rttMs).toEqual(expect.any(Number));
      expect(s.state).toBeNull(); // reachable says nothing about registration (that is the registrars')
      expect(s.history).toEqual([]);
    }
    expect(prober.list().map((p) => p.address)).not.toContain(`${fleet!.devices[0].identity.ip}:5060`); // phones are not proxies
  });

  it("an address where nothing answers is unreachable, with the transaction's reason, stored and published", async () => {
    const s = await eventually("silent phone unreachable", () => status(silentId), (v) => v.state === "unreachable");
    expect(s.reachability).toMatchObject({ target: SILENT, reachable: false });
    expect(s.reachability!.lastError).toMatch(/no answer to SIP OPTIONS within \d+ ms \(\d+ retransmissions\)/);
    expect(s.lastError).toContain(SILENT);
    expect(s.history[0]).toMatchObject({ to: { state: "unreachable" } });
    expect(events.filter((e) => e.deviceId === silentId)).toEqual([expect.objectContaining({ state: "unreachable" })]);
    // Later rounds do not record it again.
    const rounds = prober.rounds;
    await eventually("two more rounds", async () => prober.rounds, (n) => n >= rounds + 2);
    expect((await status(silentId)).history).toHaveLength(1);
    expect(events.filter((e) => e.deviceId === silentId)).toHaveLength(1);
  });

  it("a phone taken off the network becomes unreachable; answering again clears it", async () => {
    const [id] = ids;
    const ip = fleet!.devices[0].identity.ip;
    expect((await fault(ip, "offline")).statusCode).toBe(200);
    const down = await eventually("offline phone unreachable", () => status(id), (v) => v.state === "unreachable");
    expect(down.reachability).toMatchObject({ reachable: false });
    expect(down.history[0].reason).toMatch(/no answer to SIP OPTIONS/);
    expect(events.find((e) => e.deviceId === id)).toMatchObject({ state: "unreachable", lastError: expect.stringContaining(`${ip}:5060`) });
    // The other phone is untouched.
    expect((await status(ids[1])).state).toBeNull();

    expect((await fault(ip, "none")).statusCode).toBe(200);
    const up = await eventually("phone answers again", () => status(id), (v) => v.reachability?.reachable === true);
    expect(up.state).toBeNull();
    expect(up.lastError).toBeNull();
    expect(events.filter((e) => e.deviceId === id).map((e) => e.state)).toEqual(["unreachable", null]);
  });
});
