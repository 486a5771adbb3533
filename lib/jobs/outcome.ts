// How a job reads to a person: its outcome from the lifecycle state and the per-target counts. Pure, shared by
// the API (JobSummary.outcome) and the browser (labels, the segmented bar), so both always say the same.
import type { JobState, TargetState } from "@/lib/db/schema";

export type Counts = Record<TargetState, number> & { total: number };

export const JOB_OUTCOMES = ["queued", "running", "succeeded", "finished_with_failures", "cancelled"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export const OUTCOME_LABEL: Record<JobOutcome, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Finished",
  finished_with_failures: "Finished with failures",
  cancelled: "Cancelled",
};

/** A finished job with any failed target is never reported as a plain success. */
export function jobOutcome(state: JobState, counts: Pick<Counts, "failed">): JobOutcome {
  if (state === "done") return counts.failed > 0 ? "finished_with_failures" : "succeeded";
  return state;
}

export const finishedCount = (c: Counts) => c.applied + c.failed + c.skipped + c.cancelled;

/** The bar's segments in display order; queued is the remainder (the bar's empty track). */
export const BAR_SEGMENTS = ["applied", "failed", "skipped", "cancelled", "running"] as const satisfies readonly TargetState[];
