// The job JSON of GET /api/v1/jobs/<id> as the browser sees it (parsed by components/jobs/api.ts).
import type { z } from "zod";
import type { jobSchema } from "./api";

export type Job = z.output<typeof jobSchema>;
export type JobTarget = Job["targets"][number];
export type TargetAttempt = JobTarget["history"][number];
export type { Counts } from "@/lib/jobs/outcome";
export type { TargetState } from "@/lib/db/schema";
export { finishedCount as finished } from "@/lib/jobs/outcome";
