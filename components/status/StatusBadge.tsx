"use client";
import { Badge } from "@/components/ui/Badge";
import { clockTime, relativeTime, statusLabel, statusTone } from "./format";
import { isStale } from "./freshness";
import type { StatusBrief } from "./live";
import { useNow } from "./useNow";

/** "42 sec. ago", moving with the tab's shared clock (useNow), not only when new data arrives. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={clockTime(iso)} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}

/** A phone's last answer and the server's threshold for it (lib/poller/freshness); absent: not judged (no status of its own). */
export interface Freshness {
  lastSeenAt: string | null;
  staleAfterS: number;
}

/** "stale · last answer 12 min ago": what is shown is what the phone said then, not now. */
function StaleNote({ lastSeenAt }: { lastSeenAt: string | null }) {
  return (
    <span className="text-xs font-medium text-amber-800" data-testid="stale">
      stale · {lastSeenAt ? <>last answer <RelativeTime iso={lastSeenAt} /></> : "no answer recorded"}
    </span>
  );
}

/**
 * Badge + "since" of one device's registration. A phone in maintenance that does not answer reads "Maintenance",
 * not "Unreachable": someone took it away on purpose. With `freshness`, a status whose last answer is older than the
 * threshold is greyed and says how old it is instead of "since" (it ticks: useNow). "Unreachable" stays red — that is
 * the portal's own finding, and the age of the last answer is exactly what it means.
 */
export function StatusBadge({ status, maintenance = false, freshness }: { status: StatusBrief | null; maintenance?: boolean; freshness?: Freshness }) {
  const now = useNow();
  const away = maintenance && (status === null || status.state === "unreachable");
  const stale = status !== null && freshness !== undefined && isStale(freshness.lastSeenAt, freshness.staleAfterS, now);
  const tone = away || (stale && status.state !== "unreachable") ? "neutral" : statusTone(status);
  return (
    <span
      className="inline-flex flex-wrap items-center gap-x-2 gap-y-0.5"
      data-testid="status-badge"
      data-state={status?.state ?? "unknown"}
      data-proxy={status?.proxy ?? ""}
      data-maintenance={maintenance ? "true" : undefined}
      data-stale={stale ? "true" : undefined}
    >
      <Badge tone={tone}>{away ? "Maintenance" : statusLabel(status)}</Badge>
      {maintenance && !away && <Badge tone="neutral">Maintenance</Badge>}
      {stale ? (
        <StaleNote lastSeenAt={freshness.lastSeenAt} />
      ) : (
        status && (
          <span className="text-xs text-slate-500">
            since <RelativeTime iso={status.since} />
          </span>
        )
      )}
    </span>
  );
}
