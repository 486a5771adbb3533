"use client";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { clockTime, relativeTime, statusLabel, statusTone } from "./format";
import type { StatusBrief } from "./live";

/** Re-renders every `ms` so relative times stay true. */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={clockTime(iso)} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}

/**
 * Badge + "since" of one device's registration. A phone in maintenance that does not answer reads "Maintenance",
 * not "Unreachable": someone took it away on purpose.
 */
export function StatusBadge({ status, maintenance = false }: { status: StatusBrief | null; maintenance?: boolean }) {
  const away = maintenance && (status === null || status.state === "unreachable");
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-0.5" data-testid="status-badge" data-state={status?.state ?? "unknown"} data-proxy={status?.proxy ?? ""} data-maintenance={maintenance ? "true" : undefined}>
      <Badge tone={away ? "neutral" : statusTone(status)}>{away ? "Maintenance" : statusLabel(status)}</Badge>
      {maintenance && !away && <Badge tone="neutral">Maintenance</Badge>}
      {status && (
        <span className="text-xs text-slate-500">
          since <RelativeTime iso={status.since} />
        </span>
      )}
    </span>
  );
}
