"use client";
// The job's segmented bar (applied · failed · skipped · cancelled · running; queued is the empty track) and its
// per-state counts, which double as filters of the device list below.
import clsx from "clsx";
import { BAR_SEGMENTS, finishedCount, type Counts } from "@/lib/jobs/outcome";
import type { TargetState } from "./types";

export const STATE_LABEL: Record<TargetState, string> = { applied: "Applied", failed: "Failed", skipped: "Skipped", cancelled: "Cancelled", running: "Running", queued: "Queued" };
const FILL: Record<TargetState, string> = {
  applied: "bg-green-600",
  failed: "bg-red-600",
  skipped: "bg-amber-500",
  cancelled: "bg-slate-500",
  running: "bg-blue-500 animate-pulse",
  queued: "bg-slate-200",
};
const ORDER: readonly TargetState[] = [...BAR_SEGMENTS, "queued"];

export function JobProgress({ counts, filter, onFilter }: { counts: Counts; filter: TargetState | null; onFilter: (s: TargetState | null) => void }) {
  const done = finishedCount(counts);
  const percent = counts.total ? Math.round((done / counts.total) * 100) : 100;
  const text = ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${STATE_LABEL[s].toLowerCase()}`).join(", ");
  return (
    <div className="flex flex-col gap-2">
      <div
        role="progressbar"
        aria-label="Job progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${done} of ${counts.total} devices finished: ${text || "none yet"}`}
        data-testid="job-bar"
        className="flex h-4 w-full overflow-hidden rounded bg-slate-200"
      >
        {BAR_SEGMENTS.map((s) =>
          counts[s] > 0 ? (
            <div key={s} data-segment={s} data-count={counts[s]} title={`${counts[s]} ${STATE_LABEL[s].toLowerCase()}`} className={clsx("h-full", FILL[s])} style={{ width: `${(counts[s] / counts.total) * 100}%` }} />
          ) : null,
        )}
      </div>
      <ul aria-label="Devices by state" className="flex flex-wrap gap-2 text-sm" data-testid="job-counts">
        {ORDER.map((s) => (
          <li key={s}>
            <button
              type="button"
              aria-pressed={filter === s}
              disabled={counts[s] === 0 && filter !== s}
              onClick={() => onFilter(filter === s ? null : s)}
              data-state={s}
              className={clsx(
                "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:cursor-default disabled:text-slate-500",
                filter === s ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
              )}
            >
              <span aria-hidden className={clsx("size-2.5 rounded-full", FILL[s])} />
              <span className="font-semibold tabular-nums">{counts[s]}</span> {STATE_LABEL[s]}
            </button>
          </li>
        ))}
        <li className="self-center text-slate-600">
          {percent} % of {counts.total} devices
        </li>
      </ul>
    </div>
  );
}
