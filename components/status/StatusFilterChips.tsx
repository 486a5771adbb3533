"use client";
import clsx from "clsx";

/** The list's status filters offered as chips (values of GET /api/v1/devices?status=). */
export const STATUS_CHIPS = [
  { value: "failed_over", label: "Failed over" },
  { value: "unreachable", label: "Unreachable" },
] as const;

/** Toggle chips: pressing the active one clears the filter. */
export function StatusFilterChips({ value, onChange }: { value: string; onChange: (status: string) => void }) {
  return (
    <div role="group" aria-label="Registration status" className="flex items-center gap-1.5">
      {STATUS_CHIPS.map((chip) => {
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
