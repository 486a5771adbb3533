// Proxy health: one operation per use case, called by the routes.
import "server-only";
import { notFound } from "@/lib/errors";
import { getDb } from "@/lib/db";
import { bindingVia, registrarMonitor } from "@/lib/registrars";
import type { ProxyDetail, ProxyView } from "./model";
import { proxyProber, type ProxyProber } from "./prober";
import { proxyHistory } from "./store";

export * from "./model";
export { ProxyProber, proxyProber, startProxyProber, stopProxyProber } from "./prober";

const iso = (d: Date | null) => d?.toISOString() ?? null;

async function ready(): Promise<ProxyProber> {
  const p = proxyProber();
  if (p.rounds === 0) await p.probeAll();
  return p;
}

export async function listProxies(): Promise<ProxyView[]> {
  return (await ready()).list().map(({ address, state, phones }) => ({
    address,
    up: state.up,
    rttMs: state.rttMs === null ? null : Math.round(state.rttMs * 10) / 10,
    checkedAt: iso(state.checkedAt),
    since: iso(state.since),
    lastError: state.lastError,
    phones,
  }));
}

export async function getProxy(address: string): Promise<ProxyDetail> {
  const p = await ready();
  const view = (await listProxies()).find((v) => v.address === address.toLowerCase());
  if (!view) throw notFound(`Proxy ${address}`);
  const bindings = registrarMonitor().allBindings();
  const dependents = p
    .phones()
    .filter((ph) => ph.uses.some((u) => u.address === view.address))
    .map((ph) => {
      const via = ph.registeredTo ?? bindingVia(bindings.get(ph.id));
      return { id: ph.id, name: ph.name, uses: [...new Set(ph.uses.filter((u) => u.address === view.address).map((u) => u.use))], registeredHere: via === view.address, maintenance: ph.maintenance };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ...view, history: await proxyHistory(await getDb(), view.address), samples: p.samplesOf(view.address), dependents };
}
