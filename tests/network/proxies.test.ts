// Proxy health against REAL Kamailio: the portal probes every proxy the phones are configured with by SIP OPTIONS
// from its own UDP socket; stopping the primary makes it down (with the probe's reason, in the timeline, on the
// event bus) while the phones fail over to the redundant one; starting it again makes it up.
// Addresses (i14-net): Kamailio 127.70.2.1 / 127.70.2.2 :5060, phones 127.71.2.1–2:8080.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "@/lib/api/testing";
import { createEventBus, type ProxyEvent } from "@/lib/events";
import { Poller } from "@/lib/poller";
import { startProxyProber, stopProxyProber, type ProxyProber } from "@/lib/proxy-health";
import * as proxiesRoute from "@/app/api/v1/proxies/route";
import * as proxyRoute from "@/app/api/v1/proxies/[address]/route";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { kamailioAvailable, useNetworkFixture } from "./support";

const available = kamailioAvailable();
const api = useApiFixture();

describe.skipIf(!available)("proxy health (SIP OPTIONS against Kamailio)", () => {
  const net = useNetworkFixture({ proxyNet: "127.70.2", phoneNet: "127.71.2", phones: 2 });
  const events: ProxyEvent[] = [];
  let prober: ProxyProber;
  let poller: Poller;
  const list = async () => (await call(proxiesRoute.GET, "GET", "/proxies", { token: api.viewer })).body as { address: string; up: boolean | null; lastError: string | null; phones: Record<string, number> }[];
  const byAddress = async (a: string) => (await list()).find((p) => p.address === a);

  beforeAll(async () => {
    const bus = createEventBus();
    bus.subscribe("proxy", (e) => events.push(e));
    poller = new Poller({ intervalS: 1, concurrency: 4, timeoutMs: 2_000, bus: createEventBus() });
    await poller.start();
    // The process-wide prober (the one the routes read), with short timers and a bus of the test's own.
    prober = startProxyProber({ intervalS: 1, timeoutMs: 1_000, bus });
  });
  afterAll(async () => {
    await stopProxyProber();
    await poller?.stop();
  });

  it("lists both proxies up with the phones that use them", async () => {
    const [p, r] = [net.primary.address, net.redundant.address];
    await eventually("phones registered to the primary (their own report)", async () => (await byAddress(p))?.phones.registeredNow, (n) => n === 2);
    const all = await list();
    expect(all.map((x) => x.address)).toEqual([p, r].sort());
    expect(await byAddress(p)).toMatchObject({ up: true, lastError: null, phones: { primary: 2, redundant: 0, registrar: 0, outbound: 0, registeredNow: 2 } });
    expect(await byAddress(r)).toMatchObject({ up: true, phones: { primary: 0, redundant: 2, registeredNow: 0 } });
  });

  it("goes down when Kamailio stops and up when it starts again, in the timeline and on the bus", async () => {
    const p = net.primary.address;
    await net.primary.stop();
    const down = await eventually("primary down", () => byAddress(p), (x) => x?.up === false);
    expect(down!.lastError).toMatch(/no answer to SIP OPTIONS within \d+ ms \(\d+ retransmissions\)/);
    await eventually("phones failed over to the redundant", async () => (await byAddress(net.redundant.address))?.phones.registeredNow, (n) => n === 2);
    await net.primary.start();
    await eventually("primary up", () => byAddress(p), (x) => x?.up === true);

    const detail = await call(proxyRoute.GET, "GET", `/proxies/${encodeURIComponent(p)}`, { token: api.viewer, params: { address: encodeURIComponent(p) } });
    expect(detail.status).toBe(200);
    expect(detail.body.history.map((h: { up: boolean }) => h.up)).toEqual([true, false, true]);
    expect(detail.body.dependents.map((d: { name: string; uses: string[] }) => `${d.name}:${d.uses}`)).toEqual(["phone-1:primary", "phone-2:primary"]);
    const changes = events.filter((e) => e.address === p && e.changed).map((e) => e.up);
    expect(changes).toEqual([true, false, true]);

    const unknown = await call(proxyRoute.GET, "GET", "/proxies/10.9.9.9%3A5060", { token: api.viewer, params: { address: "10.9.9.9%3A5060" } });
    expect(unknown.status).toBe(404);
  });
});
