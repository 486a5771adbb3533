// Proxy health against REAL Kamailio: the portal probes every proxy the phones are configured with by SIP OPTIONS
// from its own UDP socket; stopping the primary makes it down (with the probe's reason, in the timeline, on the
// event bus) while the phones fail over to the redundant one; starting it again makes it up.
// Addresses (i14-net): Kamailio 127.70.2.1 / 127.70.2.2 :5060, phones 127.71.2.1–2:8080.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import { createEventBus, type ProxyEvent } from "@/lib/events";
import { startPoller, stopPoller, type Poller } from "@/lib/poller";
import { startProxyProber, stopProxyProber, type ProxyProber } from "@/lib/proxy-health";
import * as proxiesRoute from "@/app/api/v1/proxies/route";
import * as proxyRoute from "@/app/api/v1/proxies/[address]/route";
import * as metricsRoute from "@/app/metrics/route";
import parsePrometheus from "parse-prometheus-text-format";
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

  /** GET /metrics parsed by a Prometheus text parser: "name{k=v,…}" → value. */
  async function scrape(token = "scrape-token-1"): Promise<Map<string, number>> {
    const res = await metricsRoute.GET(new Request("http://127.0.0.1/metrics", { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const out = new Map<string, number>();
    for (const family of parsePrometheus(await res.text()))
      for (const m of family.metrics) {
        const labels = Object.entries(m.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
        out.set(labels ? `${family.name}{${labels}}` : family.name, Number(m.value));
      }
    return out;
  }

  beforeAll(async () => {
    process.env.METRICS_TOKEN = "scrape-token-1";
    const bus = createEventBus();
    bus.subscribe("proxy", (e) => events.push(e));
    // The process-wide poller (the one /metrics reads).
    poller = await startPoller({ intervalS: 1, concurrency: 4, timeoutMs: 2_000, bus: createEventBus() });
    // The process-wide prober (the one the routes read), with short timers and a bus of the test's own.
    prober = startProxyProber({ intervalS: 1, timeoutMs: 1_000, bus });
  });
  afterAll(async () => {
    delete process.env.METRICS_TOKEN;
    await stopProxyProber();
    await stopPoller();
  });

  it("lists both proxies up with the phones that use them", async () => {
    const [p, r] = [net.primary.address, net.redundant.address];
    await eventually("phones registered to the primary (their own report)", async () => (await byAddress(p))?.phones.registeredNow, (n) => n === 2);
    const all = await list();
    expect(all.map((x) => x.address)).toEqual([p, r].sort());
    expect(await byAddress(p)).toMatchObject({ up: true, lastError: null, phones: { primary: 2, redundant: 0, registrar: 0, outbound: 0, registeredNow: 2 } });
    expect(await byAddress(r)).toMatchObject({ up: true, phones: { primary: 0, redundant: 2, registeredNow: 0 } });
  });

  it("/metrics: refused without a token or session, parsed by a Prometheus parser with a token or a session", async () => {
    const none = await metricsRoute.GET(new Request("http://127.0.0.1/metrics"), { params: Promise.resolve({}) });
    expect(none.status).toBe(401);
    const wrong = await metricsRoute.GET(new Request("http://127.0.0.1/metrics", { headers: { authorization: "Bearer nope" } }), { params: Promise.resolve({}) });
    expect(wrong.status).toBe(401);
    // Both the poller's status and the prober's phone counts (under load either may lag a round behind the other).
    await eventually(
      "the poller's status of both phones",
      () => scrape(),
      (m) => m.get("sap_phones{state=registered,proxy=primary}") === 2 && m.get(`sap_proxy_phones{address=${net.primary.address},use=registered_now}`) === 2,
    );
    const m = await scrape(api.viewer); // a signed-in user's token works too
    expect(m.get(`sap_proxy_up{address=${net.primary.address}}`)).toBe(1);
    expect(m.get(`sap_proxy_up{address=${net.redundant.address}}`)).toBe(1);
    expect(m.get(`sap_proxy_rtt_seconds{address=${net.primary.address}}`)).toBeGreaterThan(0);
    expect(m.get(`sap_proxy_phones{address=${net.primary.address},use=primary}`)).toBe(2);
    expect(m.get(`sap_proxy_phones{address=${net.redundant.address},use=redundant}`)).toBe(2);
    expect(m.get(`sap_proxy_phones{address=${net.primary.address},use=registered_now}`)).toBe(2);
    expect(m.get("sap_poller_polls_total")).toBeGreaterThan(0);
    expect(m.has("sap_poller_polls_per_second")).toBe(true);
    expect([...m.keys()].filter((k) => k.startsWith("sap_poller")).join(" ")).toContain("sap_poller_lag_seconds{stat=max}");
    expect(m.get("sap_config_state{state=in_sync}")).toBe(2);
    expect(m.get("sap_phones_maintenance")).toBe(0);
  });

  it("goes down when Kamailio stops and up when it starts again, in the timeline and on the bus", async () => {
    const p = net.primary.address;
    await net.primary.stop();
    const down = await eventually("primary down", () => byAddress(p), (x) => x?.up === false);
    expect(down!.lastError).toMatch(/no answer to SIP OPTIONS within \d+ ms \(\d+ retransmissions\)/);
    await eventually("phones failed over to the redundant", async () => (await byAddress(net.redundant.address))?.phones.registeredNow, (n) => n === 2);
    const m = await scrape();
    expect(m.get(`sap_proxy_up{address=${p}}`)).toBe(0);
    expect(m.has(`sap_proxy_rtt_seconds{address=${p}}`)).toBe(false);
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
