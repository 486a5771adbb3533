// The job JSON of GET /api/v1/jobs/<id> as the browser sees it.
import type { JobDetail } from "@/lib/jobs/store";

export type { JobTarget } from "@/lib/jobs/store";
export type { Counts } from "@/lib/jobs/outcome";
export type { TargetAttempt, TargetState } from "@/lib/db/schema";
export type Job = JobDetail;
export { finishedCount as finished } from "@/lib/jobs/outcome";
