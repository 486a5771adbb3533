// GET /metrics: the portal's state in the Prometheus text format (prom-client). Every value is read when scraped
// (collect callbacks): phones by registration state and proxy, proxies up and their round trip, registrars,
// the poller's rate and lag, push results and alert deliveries. Nothing is counted twice or kept here.
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { getDb } from "@/lib/db";
import { deviceConfigs, deviceStatus, devices, pushTargets, alertDeliveries } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { getPoller } from "@/lib/poller";
import { proxyProber } from "@/lib/proxy-health";
import { registrarMonitor } from "@/lib/registrars";

/** The scraper's token (METRICS_TOKEN), compared in constant time. */
export function isMetricsToken(req: Request): boolean {
  const expected = env().METRICS_TOKEN;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!expected || !m) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

type Labels = Record<string, string>;
const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

function buildRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sap_process_" });
  // A gauge whose values are replaced at each scrape.
  const gauge = (name: string, help: string, labelNames: string[], read: () => Promise<[Labels, number][]> | [Labels, number][]) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [labels, v] of await read()) this.set(labels, v);
      },
    });
  // A counter kept by someone else (the poller's totals), exposed as such.
  const counter = (name: string, help: string, labelNames: string[], read: () => [Labels, number][]) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, v] of read()) this.inc(labels, v);
      },
    });

  gauge("sap_phones", "Phones by registration state and proxy role (state=unknown: not polled yet)", ["state", "proxy"], async () => {
    const db = await getDb();
    const r = await db.execute(sql`select coalesce(s.state, 'unknown') as state, coalesce(s.proxy, 'none') as proxy, count(*)::int as n
      from ${devices} d left join ${deviceStatus} s on s.device_id = d.id group by 1, 2`);
    return rows<{ state: string; proxy: string; n: number }>(r).map((x) => [{ state: x.state, proxy: x.proxy }, Number(x.n)]);
  });
  gauge("sap_phones_maintenance", "Phones in maintenance (alerts silenced)", [], async () => {
    const db = await getDb();
    const r = await db.execute(sql`select count(*)::int as n from ${devices} where maintenance`);
    return [[{}, Number(rows<{ n: number }>(r)[0]?.n ?? 0)]];
  });
  gauge("sap_proxy_phones", "Phones configured with a proxy address, by use (primary, redundant, registrar, outbound), and registered through it now (use=registered_now)", ["address", "use"], () =>
    proxyProber()
      .list()
      .flatMap(({ address, phones }) => [
        [{ address, use: "primary" }, phones.primary],
        [{ address, use: "redundant" }, phones.redundant],
        [{ address, use: "registrar" }, phones.registrar],
        [{ address, use: "outbound" }, phones.outbound],
        [{ address, use: "registered_now" }, phones.registeredNow],
      ]),
  );
  gauge("sap_proxy_up", "1 when the proxy answered the last SIP OPTIONS probe, 0 when not (absent: not probed yet)", ["address"], () =>
    proxyProber()
      .list()
      .flatMap(({ address, state }) => (state.up === null ? [] : [[{ address }, state.up ? 1 : 0] as [Labels, number]])),
  );
  gauge("sap_proxy_rtt_seconds", "Round trip of the last answered SIP OPTIONS probe", ["address"], () =>
    proxyProber()
      .list()
      .flatMap(({ address, state }) => (state.up && state.rttMs !== null ? [[{ address }, state.rttMs / 1000] as [Labels, number]] : [])),
  );
  gauge("sap_registrar_up", "1 when the registrar's bindings were read in the last round", ["name"], () => registrarMonitor().list().map((r) => [{ name: r.name }, r.lastError === null && r.checkedAt ? 1 : 0]));
  gauge("sap_registrar_bindings", "Bindings in the registrar's last read, and how many matched a phone (matched=true)", ["name", "matched"], () =>
    registrarMonitor()
      .list()
      .flatMap((r) => (r.contacts === null ? [] : [[{ name: r.name, matched: "false" }, r.contacts - (r.matched ?? 0)], [{ name: r.name, matched: "true" }, r.matched ?? 0]] as [Labels, number][])),
  );
  gauge("sap_poller_polls_per_second", "Status polls per second in the poller's last window", [], () => {
    const h = getPoller()?.health();
    return h?.lastCycle ? [[{}, h.lastCycle.pollsPerS]] : [];
  });
  gauge("sap_poller_lag_seconds", "How late polls ran in the last window (avg, max)", ["stat"], () => {
    const h = getPoller()?.health();
    return h?.lastCycle ? [[{ stat: "avg" }, h.lastCycle.lagAvgMs / 1000], [{ stat: "max" }, h.lastCycle.lagMaxMs / 1000]] : [];
  });
  gauge("sap_poller_devices", "Devices the poller schedules, and of those backing off after failures (state=backing_off) or on a held status long-poll (state=held)", ["state"], () => {
    const h = getPoller()?.health();
    return h ? [[{ state: "scheduled" }, h.devices], [{ state: "backing_off" }, h.backingOff], [{ state: "held" }, h.held]] : [];
  });
  counter("sap_poller_polls_total", "Status polls since the poller started", [], () => {
    const h = getPoller()?.health();
    return h ? [[{}, h.totals.polls]] : [];
  });
  counter("sap_poller_errors_total", "Failed status polls since the poller started, by error code", ["code"], () => Object.entries(getPoller()?.health().totals.errors ?? {}).map(([code, n]) => [{ code }, n]));
  gauge("sap_config_state", "Phones by configuration state (in_sync, push_failed, drifted, pending_push …)", ["state"], async () => {
    const db = await getDb();
    const r = await db.execute(sql`select state, count(*)::int as n from ${deviceConfigs} group by state`);
    return rows<{ state: string; n: number }>(r).map((x) => [{ state: x.state }, Number(x.n)]);
  });
  gauge("sap_push_targets", "Bulk-push targets by result (applied, failed, skipped, queued, running, cancelled)", ["state"], async () => {
    const db = await getDb();
    const r = await db.execute(sql`select state, count(*)::int as n from ${pushTargets} group by state`);
    return rows<{ state: string; n: number }>(r).map((x) => [{ state: x.state }, Number(x.n)]);
  });
  gauge("sap_alert_deliveries", "Alert deliveries by status (queued, sent, failed, summarized)", ["status"], async () => {
    const db = await getDb();
    const r = await db.execute(sql`select status, count(*)::int as n from ${alertDeliveries} group by status`);
    return rows<{ status: string; n: number }>(r).map((x) => [{ status: x.status }, Number(x.n)]);
  });
  return registry;
}

const KEY = Symbol.for("sip-admin-portal.metrics");
type Holder = { [KEY]?: Registry };

export function metricsRegistry(): Registry {
  const holder = globalThis as unknown as Holder;
  return (holder[KEY] ??= buildRegistry());
}

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
