// DEVICE_NETWORKS over SIP (issue 13): the portal's one SIP socket sends nothing to an address outside the networks —
// not a check-sync NOTIFY to a provisioning phone, not an OPTIONS probe to a proxy or a phone — whether the address was
// stored before DEVICE_NETWORKS was set or is a host name resolving outside. Each refusal says why; a UDP peer on the
// refused address counts what reaches it (nothing). Loopback range 127.68.5.x (sec-net).
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as statusRoute from "@/app/api/v1/devices/[id]/status/route";
import { getDb } from "@/lib/db";
import { deviceConfigs } from "@/lib/db/schema";
import { createEventBus } from "@/lib/events";
import { ProxyProber } from "@/lib/proxy-health";
import { closeSharedSipClient, sharedSipClient } from "@/lib/sip";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { fakePhone } from "../support/sip-peer";

const f = useApiFixture();
const NET = "127.68.5";
const PEER = `${NET}.9`; // outside 127.68.5.0/29, inside 127.68.5.0/24
const OUTSIDE = `${NET}.0/29`;
const SIP = "voip/signalling/sip/";
let peer: Awaited<ReturnType<typeof fakePhone>>;
let provisioningId = "";
let apiId = "";

beforeAll(async () => {
  Object.assign(process.env, { SIP_BIND: `${NET}.200`, PROVISIONING_FETCH_TIMEOUT_S: "2" });
  peer = await fakePhone(PEER, () => [[200, "OK"]]);
  // Stored while no DEVICE_NETWORKS was set.
  const prov = await call(devicesRoute.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "prov stored earlier", address: `${PEER}:8080`, sipAddress: `${PEER}:5060`, driver: "provisioning", model: "audiocodes-hd", mac: "00908f450509" },
  });
  expect(prov.status, JSON.stringify(prov.body)).toBe(201);
  provisioningId = prov.body.id;
  // A phone whose (stored) configuration points at a proxy on the peer's address.
  const api = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "api phone", address: `${NET}.3:8080` } });
  expect(api.status).toBe(201);
  apiId = api.body.id;
  await (await getDb())
    .update(deviceConfigs)
    .set({ values: { [`${SIP}use_proxy`]: 1, [`${SIP}proxy_address`]: PEER, [`${SIP}proxy_port`]: 5060 }, state: "in_sync" })
    .where(eq(deviceConfigs.deviceId, apiId));
});
afterEach(() => {
  delete process.env.DEVICE_NETWORKS;
  peer.received.length = 0;
});
afterAll(async () => {
  delete process.env.SIP_BIND;
  delete process.env.PROVISIONING_FETCH_TIMEOUT_S;
  await closeSharedSipClient();
  await peer?.close();
});

const refusedMessage = /outside the networks the portal may reach \(DEVICE_NETWORKS: 127\.68\.5\.0\/29\)/;

describe("DEVICE_NETWORKS for SIP", () => {
  it("the shared SIP socket refuses a target outside the networks (by address or by a name resolving outside) and sends nothing", async () => {
    const sip = await sharedSipClient();
    process.env.DEVICE_NETWORKS = OUTSIDE;
    const byIp = await sip.request({ method: "OPTIONS", target: `${PEER}:5060`, timers: { timeoutMs: 1_000 } });
    expect(byIp).toEqual({ outcome: "error", message: expect.stringMatching(refusedMessage) });
    expect(byIp.outcome === "error" && byIp.message).toMatch(/^not sent to SIP target 127\.68\.5\.9:5060: 127\.68\.5\.9 is outside/);
    const byName = await sip.request({ method: "OPTIONS", target: "localhost:5060", timers: { timeoutMs: 1_000 } });
    expect(byName.outcome === "error" && byName.message).toMatch(/localhost \(127\.0\.0\.1\) is outside/);
    expect(peer.received).toHaveLength(0);
    // Inside the networks the same request goes out and is answered.
    process.env.DEVICE_NETWORKS = `${NET}.0/24`;
    const inside = await sip.request({ method: "OPTIONS", target: `${PEER}:5060`, timers: { timeoutMs: 2_000 } });
    expect(inside).toMatchObject({ outcome: "response", status: 200 });
    expect(peer.received.map((r) => r.method)).toEqual(["OPTIONS"]);
  });

  it("a save to a provisioning phone outside the networks fails at once naming DEVICE_NETWORKS; no check-sync NOTIFY is sent", async () => {
    process.env.DEVICE_NETWORKS = OUTSIDE;
    // An hour to wait for a fetch: the save returns within the test's timeout only because it does not wait for a
    // fetch the phone was never asked for.
    process.env.PROVISIONING_FETCH_TIMEOUT_S = "3600";
    try {
      const r = await call(configRoute.PATCH, "PATCH", `/devices/${provisioningId}/config`, {
        token: f.admin,
        params: { id: provisioningId },
        body: { values: { [`${SIP}proxy_port`]: 5070 } },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(502);
      expect(r.body.error.message).toMatch(
        /prov stored earlier was not asked to fetch revision \d+: check-sync was not sent \(not sent to SIP target 127\.68\.5\.9:5060: .*DEVICE_NETWORKS: 127\.68\.5\.0\/29\)\)\. It takes the change at its next periodic fetch/,
      );
      expect(peer.received).toHaveLength(0);
    } finally {
      process.env.PROVISIONING_FETCH_TIMEOUT_S = "2";
    }
  }, 30_000);

  it("the prober sends no OPTIONS to a proxy or a phone outside the networks and says why", async () => {
    process.env.DEVICE_NETWORKS = OUTSIDE;
    const prober = new ProxyProber({ intervalS: 3600, timeoutMs: 1_000, bus: createEventBus() });
    await prober.probeAll();
    const proxy = prober.list().find((p) => p.address === `${PEER}:5060`);
    expect(proxy?.state).toMatchObject({ up: false, lastError: expect.stringMatching(refusedMessage) });
    expect(proxy?.state.lastError).toMatch(/^OPTIONS could not be sent: not sent to SIP target/);
    expect(prober.reachabilityOf(provisioningId, `${PEER}:5060`)).toMatchObject({ reachable: false, lastError: expect.stringMatching(refusedMessage) });
    expect(peer.received).toHaveLength(0);
    // The same round inside the networks reaches both (the proxy and the phone share the peer's address).
    process.env.DEVICE_NETWORKS = `${NET}.0/24`;
    await prober.probeAll();
    expect(prober.list().find((p) => p.address === `${PEER}:5060`)?.state.up).toBe(true);
    expect(prober.reachabilityOf(provisioningId, `${PEER}:5060`).reachable).toBe(true);
    expect(peer.received.length).toBeGreaterThanOrEqual(2);
    await prober.stop();
    const s = await call(statusRoute.GET, "GET", `/devices/${provisioningId}/status`, { token: f.viewer, params: { id: provisioningId } });
    expect(s.body.history[0]).toMatchObject({ to: { state: "unreachable" }, reason: expect.stringMatching(refusedMessage) });
  });
});
