"use client";
import clsx from "clsx";
import type { StatusFilter } from "@/lib/inventory/devices";

/** Every status filter of the list (GET /api/v1/devices?status=) as people read it. */
const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  registered: "Registered",
  registering: "Registering",
  unregistered: "Unregistered",
  failed: "Failed",
  unreachable: "Unreachable",
  on_primary: "Registered to primary",
  failed_over: "Failed over",
  unknown: "Not polled yet",
};

/** The status filters offered as chips at all times. */
const STATUS_CHIPS: StatusFilter[] = ["failed_over", "unreachable"];

/**
 * Toggle chips: pressing the active one clears the filter. Another active filter (a dashboard count's link) shows
 * as a chip of its own, so the list never looks unfiltered while it is filtered.
 */
export function StatusFilterChips({ value, onChange }: { value: string; onChange: (status: string) => void }) {
  const shown = value && !STATUS_CHIPS.includes(value as StatusFilter) ? [...STATUS_CHIPS, value as StatusFilter] : STATUS_CHIPS;
  return (
    <div role="group" aria-label="Registration status" className="flex flex-wrap items-center gap-1.5">
      {shown.map((v) => ({ value: v, label: STATUS_FILTER_LABELS[v] ?? v })).map((chip) => {
        const active = value === chip.value;
        return (
          <button
            key={chip.value}
            type="button"
            aria-pressed={active}
            onClick={() => onChange(active ? "" : chip.value)}
            className={clsx(
              "rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-blue-600",
              active ? "bg-blue-700 text-white ring-blue-700" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
            )}
          >
            {chip.label}
          </button>
        );
      })}
    </div>
  );
}
