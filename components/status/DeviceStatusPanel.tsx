"use client";
// The device page's registration panel: current registration, keep-alive health per proxy and the timeline of
// transitions. Refetched when a status event for this device arrives, after a lost stream recovers, and every
// 15 s for keep-alive times (those change every probe and are not pushed as events): components/api useStatusDetail.
import { createColumnHelper } from "@tanstack/react-table";
import { useState } from "react";
import type { z } from "zod";
import { urls, useStatusDetail } from "@/components/api/resources";
import { useInvalidate } from "@/components/api/query";
import { DataTable } from "@/components/ui/DataTable";
import { apiFetch, errorMessage } from "@/components/ui/api-client";
import { clockTime, stateWords, statusLabel } from "./format";
import { LiveIndicator } from "./LiveIndicator";
import { useLiveStatus } from "./live";
import type { deviceStatusSchema } from "@/lib/poller/schemas";
import { isStale } from "./freshness";
import { RelativeTime, StatusBadge } from "./StatusBadge";
import { useNow } from "./useNow";
import { Panel } from "@/components/ui/Panel";

type DeviceStatusView = z.output<typeof deviceStatusSchema>;
type ProxyHealth = NonNullable<DeviceStatusView["keepAlive"]>["primary"];

function Time({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-slate-400">—</span>;
  return (
    <span>
      {clockTime(iso)} <span className="text-slate-500">(<RelativeTime iso={iso} />)</span>
    </span>
  );
}

/** A stale row says what the phone reported then ("was answering"), never as if it were now. */
function answers(h: KeepAliveRow): string {
  const said = h.reachable === null ? "not probed" : h.reachable ? "answering" : "not answering";
  return h.stale && h.reachable !== null ? `was ${said}` : said;
}

type KeepAliveRow = ProxyHealth & { role: "primary" | "redundant"; stale: boolean };
const ka = createColumnHelper<KeepAliveRow>();
const KEEPALIVE_COLUMNS = [
  ka.accessor("role", {
    header: "Proxy",
    meta: { rowHeader: true, className: "font-medium capitalize" },
    cell: ({ row: { original: h } }) => (
      <>
        {h.role} <span className="font-mono text-xs font-normal normal-case text-slate-500">{h.address ?? "not configured"}</span>
      </>
    ),
  }),
  ka.display({ id: "keepAlive", header: "Keep-alive", cell: ({ row: { original: h } }) => <span className={h.reachable === false ? "text-red-700" : undefined}>{answers(h)}</span> }),
  ka.accessor("lastOkAt", { header: "Last OK", cell: (c) => <Time iso={c.getValue()} /> }),
  ka.accessor("lastFailAt", { header: "Last failure", cell: (c) => <Time iso={c.getValue()} /> }),
  ka.accessor("rttMs", { header: "Round trip", cell: (c) => (c.getValue() === null ? "—" : `${c.getValue()} ms`) }),
];

/** A phone that reports no status itself: whether it answers the portal's SIP OPTIONS (reachability, not registration). */
function ReachabilityLine({ reach }: { reach: NonNullable<DeviceStatusView["reachability"]> }) {
  return (
    <p className="text-slate-600" data-testid="sip-reachability" data-reachable={reach.reachable === null ? "unknown" : String(reach.reachable)}>
      SIP OPTIONS to <span className="font-mono text-xs">{reach.target}</span>:{" "}
      {reach.reachable === null ? (
        "not checked yet"
      ) : reach.reachable ? (
        <>answering{reach.rttMs !== null && ` (${reach.rttMs} ms)`}</>
      ) : (
        <span className="text-red-700">not answering{reach.lastError && ` — ${reach.lastError}`}</span>
      )}
      {reach.checkedAt && (
        <>
          {" "}
          · checked <Time iso={reach.checkedAt} />
        </>
      )}
      . This phone reports no registration itself; the registrars do.
    </p>
  );
}

/** What the registrars hold for this phone — a second source next to the phone's own report. */
function RegistrarLine({ registrar: r }: { registrar: NonNullable<DeviceStatusView["registrar"]> }) {
  return (
    <div className="flex flex-col gap-1 rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm" data-testid="registrar-view">
      <p className="text-slate-700">
        <span className="font-medium">At the registrars: </span>
        {r.state === "registered" ? (
          <>
            registered at <strong className="font-medium">{r.name}</strong>
            {r.via && <span className="font-mono text-xs"> ({r.via})</span>} as <span className="font-mono text-xs break-all">{r.contact}</span>
            {r.expiresAt && (
              <>
                {" "}
                · expires <Time iso={r.expiresAt} />
              </>
            )}
          </>
        ) : r.state === "unregistered" ? (
          "no registrar holds a binding for this phone"
        ) : (
          "unknown — no registrar could be read"
        )}
        {r.checkedAt && (
          <span className="text-slate-500">
            {" "}
            · checked <RelativeTime iso={r.checkedAt} />
          </span>
        )}
      </p>
      {r.mismatch && (
        <p className="text-amber-800" role="note" data-testid="registrar-mismatch">
          <span className="font-medium">The phone and the registrar disagree: </span>
          {r.mismatch}
        </p>
      )}
    </div>
  );
}

/** Maintenance on/off for this phone (admins): silences its alerts. */
function MaintenanceToggle({ deviceId, on }: { deviceId: string; on: boolean }) {
  const invalidate = useInvalidate();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await apiFetch(urls.device(deviceId), { method: "PATCH", json: { maintenance: !on } });
      await invalidate(urls.device(deviceId)); // the device and its status
    } catch (e) {
      setFailure(errorMessage(e, "Changing maintenance failed"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <label className="inline-flex items-center gap-2">
        <input type="checkbox" checked={on} disabled={busy} onChange={toggle} className="h-4 w-4" />
        In maintenance (no alerts for this phone)
      </label>
      {failure && <span className="text-red-700">{failure}</span>}
    </div>
  );
}

export function DeviceStatusPanel({ deviceId, canChange = false }: { deviceId: string; canChange?: boolean }) {
  const query = useStatusDetail(deviceId);
  const { refetch } = query;
  const view = query.data ?? null;
  const error = query.error ? errorMessage(query.error, "Loading the status failed") : null;
  const connection = useLiveStatus({ onReconnect: () => void refetch(), onEvent: (e) => e.deviceId === deviceId && void refetch() });

  const brief = view?.state && view.since ? { state: view.state, proxy: view.proxy, since: view.since } : null;
  // Phones reporting no status of their own (reachability instead) are not judged by the poller's answers.
  const freshness = view && !view.reachability ? { lastSeenAt: view.lastSeenAt, staleAfterS: view.staleAfterS } : undefined;
  const now = useNow();
  const stale = brief !== null && freshness !== undefined && isStale(freshness.lastSeenAt, freshness.staleAfterS, now);
  return (
    <Panel title="Registration" aside={<LiveIndicator connection={connection} />}>
      {error && <p className="text-sm text-red-700">Could not load the status: {error}</p>}
      {!view && !error && <p className="text-sm text-slate-500">Loading status…</p>}
      {view && (
        <>
          <div className="flex flex-col gap-1 text-sm">
            <p className="sr-only" data-testid="registration-status">
              Status: {view.maintenance && (view.state === null || view.state === "unreachable") ? "maintenance" : view.state ? statusLabel(view) : view.reachability ? "no status of its own" : "not polled yet"}
              {stale && " (stale)"}
            </p>
            <StatusBadge status={brief} maintenance={view.maintenance} freshness={freshness} />
            {view.reachability ? (
              <ReachabilityLine reach={view.reachability} />
            ) : (
              view.state === null && <p className="text-slate-600">The poller has not reached this device yet.</p>
            )}
            {view.registeredTo && view.state !== "unreachable" && (
              <p className="text-slate-600">
                {stale ? "Last reported registrar" : "Registrar"} <span className="font-mono text-xs">{view.registeredTo}</span>
                {view.expiresAt && (
                  <>
                    {" "}
                    · binding expires <Time iso={view.expiresAt} />
                  </>
                )}
              </p>
            )}
            {view.lastError && <p className="text-red-700">Last error: {view.lastError}</p>}
          </div>

          {view.registrar && <RegistrarLine registrar={view.registrar} />}
          {canChange ? <MaintenanceToggle deviceId={deviceId} on={view.maintenance} /> : view.maintenance && <p className="text-sm text-slate-600">In maintenance: no alerts for this phone.</p>}

          {view.keepAlive && (
            <DataTable
              data={(["primary", "redundant"] as const).map((role) => ({ role, stale, ...view.keepAlive![role] }))}
              columns={KEEPALIVE_COLUMNS}
              label={stale ? "Keep-alive per proxy, as last reported" : "Keep-alive per proxy"}
              look="plain"
              stacked
              getRowId={(r) => r.role}
              rowProps={(r) => ({ "data-testid": `keepalive-${r.role}` })}
            />
          )}

          <div>
            <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Timeline</h3>
            {view.history.length === 0 ? (
              <p className="text-sm text-slate-500">No transitions recorded yet.</p>
            ) : (
              <ol className="mt-1 flex max-h-72 flex-col gap-1 overflow-y-auto text-sm" aria-label="Registration timeline" data-testid="status-timeline">
                {view.history.map((h, i) => (
                  <li key={`${h.at}-${i}`} className="flex flex-wrap gap-x-2">
                    <time dateTime={h.at} className="font-mono text-xs leading-5 text-slate-500">{clockTime(h.at)}</time>
                    <span>
                      {h.reason} → <strong className="font-medium">{stateWords(h.to.state, h.to.proxy)}</strong>
                      {h.from.state && <span className="text-slate-500"> (was {stateWords(h.from.state, h.from.proxy)})</span>}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </>
      )}
    </Panel>
  );
}
