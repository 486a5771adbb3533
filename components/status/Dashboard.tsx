"use client";
// Fleet overview: counts by registration state (each a link to the filtered device list) and their trend.
// Refetched on status events (at most every REFRESH_GAP_MS), after a reconnect, and once per poll interval.
import Link from "next/link";
import { useCallback, useEffect, useRef } from "react";
import { useStatusSummary } from "@/components/api/resources";
import { errorMessage } from "@/components/ui/api-client";
import { LiveIndicator } from "./LiveIndicator";
import { useLiveStatus } from "./live";
import { TrendCard } from "./TrendCard";
import type { StatusFilter } from "@/lib/inventory/devices";
import type { StatusCounts as Counts } from "@/lib/poller/store";

const REFRESH_GAP_MS = 2_000;

// Every card is a filter of the list (GET /devices?status=, lib/inventory STATUS_FILTERS).
const CARDS: { key: keyof Counts; label: string; filter: StatusFilter; tone: string }[] = [
  { key: "registeredPrimary", label: "Registered to primary", filter: "on_primary", tone: "text-green-800" },
  { key: "registeredRedundant", label: "Failed over to redundant", filter: "failed_over", tone: "text-amber-800" },
  { key: "unregistered", label: "Unregistered", filter: "unregistered", tone: "text-slate-800" },
  { key: "failed", label: "Failed", filter: "failed", tone: "text-red-800" },
  { key: "unreachable", label: "Unreachable", filter: "unreachable", tone: "text-red-800" },
  { key: "registering", label: "Registering", filter: "registering", tone: "text-blue-800" },
  { key: "unknown", label: "Not polled yet", filter: "unknown", tone: "text-slate-600" },
];

export function Dashboard() {
  const query = useStatusSummary();
  const { refetch } = query;
  const summary = query.data ?? null;
  const error = query.error ? errorMessage(query.error, "Loading the summary failed") : null;
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A failover of a whole site is thousands of events; one refetch per gap is enough.
  const soon = useCallback(() => {
    pending.current ??= setTimeout(() => {
      pending.current = null;
      void refetch();
    }, REFRESH_GAP_MS);
  }, [refetch]);
  useEffect(() => () => {
    if (pending.current) clearTimeout(pending.current);
  }, []);

  const connection = useLiveStatus({ onReconnect: () => void refetch(), onEvent: soon });

  return (
    <section aria-labelledby="dashboard-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="dashboard-title" className="text-2xl font-semibold">
            Dashboard
          </h1>
          <p className="text-sm text-slate-600">{summary ? `${summary.counts.total.toLocaleString("en-US")} devices` : "\u00a0"}</p>
        </div>
        <LiveIndicator connection={connection} />
      </div>
      {error && <p className="text-sm text-red-700">Could not load the summary: {error}</p>}
      {summary && (
        <>
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label="Devices by registration state">
            {CARDS.map((c) => (
              <li key={c.key}>
                <Link
                  href={`/devices?status=${c.filter}`}
                  className="flex flex-col rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm hover:border-blue-300 focus-visible:outline-2 focus-visible:outline-blue-600"
                  data-testid={`count-${c.key}`}
                >
                  <span className={`text-2xl font-semibold tabular-nums ${c.tone}`}>{summary.counts[c.key].toLocaleString("en-US")}</span>
                  <span className="text-sm text-slate-600">{c.label}</span>
                </Link>
              </li>
            ))}
          </ul>
          <TrendCard />
        </>
      )}
    </section>
  );
}
