// The job JSON of GET /api/v1/jobs/<id> as the browser sees it.
import type { Counts, JobDetail } from "@/lib/jobs/store";

export type { Counts, JobTarget } from "@/lib/jobs/store";
export type { TargetState } from "@/lib/db/schema";
export type Job = JobDetail;

export const finished = (c: Counts) => c.applied + c.failed + c.skipped + c.cancelled;
