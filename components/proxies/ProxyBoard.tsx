"use client";
// /proxies: every proxy the fleet is configured with, probed by the portal with SIP OPTIONS. Live: each probe
// arrives as a `proxy` event on the portal's event stream and is patched into the cached list and detail at once;
// an up/down change refetches that proxy's timeline. A lost stream refetches everything.
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { parseEvent } from "@/components/api/events";
import { urlKey, useInvalidate } from "@/components/api/query";
import { urls, useProxies, useProxyDetail } from "@/components/api/resources";
import { RelativeTime } from "@/components/status/StatusBadge";
import { Alert } from "@/components/ui/Alert";
import { errorMessage } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/Badge";
import { proxyProbeEventSchema } from "@/lib/events/schemas";
import type { ProxyDetail, ProxyView } from "@/lib/proxy-health";

const USE_WORDS = { primary: "primary", redundant: "redundant", registrar: "registrar", outbound: "outbound proxy" } as const;

function UpBadge({ up }: { up: boolean | null }) {
  return <Badge tone={up === null ? "neutral" : up ? "green" : "red"}>{up === null ? "Not probed yet" : up ? "Up" : "Down"}</Badge>;
}

/** Recent probes as a strip: one mark per probe, green answered, red not (text alternative for screen readers). */
function ProbeStrip({ samples }: { samples: ProxyDetail["samples"] }) {
  if (!samples.length) return null;
  const down = samples.filter((s) => !s.up).length;
  return (
    <div>
      <p className="sr-only">
        Last {samples.length} probes: {samples.length - down} answered, {down} unanswered.
      </p>
      {/* At 390 px fewer marks fit: the strip is cut on the left, so the newest probes stay in view. */}
      <div aria-hidden className="flex h-4 min-w-0 items-end justify-end gap-px overflow-hidden">
        {samples.slice(-60).map((s) => (
          <span key={s.at} title={`${s.at}: ${s.up ? `${s.rttMs} ms` : "no answer"}`} className={`w-1.5 shrink-0 ${s.up ? "h-4 bg-green-500" : "h-4 bg-red-500"}`} />
        ))}
      </div>
    </div>
  );
}

function ProxyCard({ proxy }: { proxy: ProxyView }) {
  const { data: detail } = useProxyDetail(proxy.address);
  const p = proxy.phones;
  const titleId = `proxy-${proxy.address.replace(/[^a-z0-9]/gi, "-")}`;
  return (
    <li className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" aria-labelledby={titleId} data-testid="proxy-card" data-address={proxy.address} data-up={String(proxy.up)}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={titleId} className="font-mono text-sm font-semibold text-slate-900">
          {proxy.address}
        </h2>
        <span className="flex items-center gap-2 text-xs text-slate-600" data-testid="proxy-state">
          <UpBadge up={proxy.up} />
          {proxy.since && (
            <span>
              since <RelativeTime iso={proxy.since} />
            </span>
          )}
        </span>
      </div>
      <p className="text-sm text-slate-700">
        {proxy.up ? `Round trip ${proxy.rttMs} ms` : proxy.lastError ?? "Waiting for the first probe"}
        {proxy.checkedAt && (
          <span className="text-slate-500">
            {" "}
            · checked <RelativeTime iso={proxy.checkedAt} />
          </span>
        )}
      </p>
      <p className="text-sm text-slate-700">
        Phones: {p.primary} primary · {p.redundant} redundant{p.registrar ? ` · ${p.registrar} registrar` : ""}
        {p.outbound ? ` · ${p.outbound} outbound` : ""} · <strong className="font-medium">{p.registeredNow} registered here now</strong>
      </p>
      {detail && <ProbeStrip samples={detail.samples} />}
      {detail && detail.history.length > 0 && (
        <div>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Timeline</h3>
          <ol className="mt-1 flex max-h-40 flex-col gap-0.5 overflow-y-auto text-sm" aria-label={`Timeline of ${proxy.address}`}>
            {detail.history.map((h) => (
              <li key={`${h.at}-${h.up}`} className="flex flex-wrap gap-x-2">
                <time dateTime={h.at} className="font-mono text-xs leading-5 text-slate-500">
                  {new Date(h.at).toLocaleString()}
                </time>
                <span>
                  <strong className={h.up ? "font-medium text-green-800" : "font-medium text-red-800"}>{h.up ? "up" : "down"}</strong> — {h.reason}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
      {detail && detail.dependents.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm font-medium text-blue-800">Phones that depend on it ({detail.dependents.length})</summary>
          <ul className="mt-1 flex max-h-60 flex-col gap-0.5 overflow-y-auto text-sm">
            {detail.dependents.map((d) => (
              <li key={d.id}>
                <Link href={`/devices/${d.id}`} className="text-blue-800 underline-offset-2 hover:underline">
                  {d.name}
                </Link>{" "}
                <span className="text-slate-500">
                  ({d.uses.map((u) => USE_WORDS[u]).join(", ")}){d.registeredHere ? " · registered here" : ""}
                  {d.maintenance ? " · maintenance" : ""}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** Keeps the cached list and details current from the `proxy` events; the stream's state for the header. */
function useLiveProxies(): boolean {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource("/api/v1/events");
    let opened = false;
    source.addEventListener("ready", () => {
      setLive(true);
      if (opened) void invalidate(urls.proxies); // events may have been missed while the stream was down
      opened = true;
    });
    source.addEventListener("proxy", (message) => {
      const e = parseEvent(proxyProbeEventSchema, message);
      if (!e) return;
      const listKey = urlKey(urls.proxies);
      if (!client.getQueryData<ProxyView[]>(listKey)?.some((p) => p.address === e.address)) return void invalidate(urls.proxies); // a new proxy
      client.setQueryData<ProxyView[]>(listKey, (list) =>
        list?.map((p) => (p.address === e.address ? { ...p, up: e.up, rttMs: e.rttMs, checkedAt: e.checkedAt, since: e.since, lastError: e.up ? null : (e.reason ?? p.lastError) } : p)),
      );
      client.setQueryData<ProxyDetail>(urlKey(urls.proxy(e.address)), (d) => d && { ...d, samples: [...d.samples.slice(-119), { at: e.checkedAt, up: e.up, rttMs: e.rttMs }] });
      if (e.changed) void invalidate(urls.proxy(e.address));
    });
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [client, invalidate]);
  return live;
}

export function ProxyBoard() {
  const query = useProxies();
  const proxies = query.data ?? null;
  const error = query.error ? errorMessage(query.error, "Loading failed") : null;
  const live = useLiveProxies();

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Proxies</h1>
          <p className="text-sm text-slate-600">Every proxy address the fleet is configured with, probed by the portal with SIP OPTIONS.</p>
        </div>
        <span className="text-xs text-slate-600" role="status" data-testid="proxies-live">
          {live ? "Live" : "Connecting…"}
        </span>
      </div>
      {error && <Alert>Could not load the proxies: {error}</Alert>}
      {proxies && proxies.length === 0 && <p className="text-sm text-slate-500">No phone is configured with a proxy yet (or the portal has not read their configuration).</p>}
      {proxies && (
        <ul className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          {proxies.map((p) => (
            <ProxyCard key={p.address} proxy={p} />
          ))}
        </ul>
      )}
    </div>
  );
}
