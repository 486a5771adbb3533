"use client";
// The job replies the browser reads (parsed, never cast; checked against the server's wire types at compile
// time) and their query hooks, keyed by URL like every resource in components/api.
import { z } from "zod";
import { useApiQuery } from "@/components/api/query";
import { TARGET_ATTEMPT_OUTCOMES, type TargetState } from "@/lib/db/schema";
import { JOB_OUTCOMES } from "@/lib/jobs/outcome";
import type { JobDetail, JobSummary } from "@/lib/jobs/store";

type Readable<S, I> = [S] extends [I] ? true : false;
type Assert<T extends true> = T;

const TARGET_STATES = ["queued", "running", "applied", "failed", "skipped", "cancelled"] as const satisfies readonly TargetState[];
const count = z.number().int();
export const jobCountsSchema = z.object({ queued: count, running: count, applied: count, failed: count, skipped: count, cancelled: count, total: count });

export const jobSummarySchema = z.object({
  id: z.string(),
  state: z.enum(["queued", "running", "done", "cancelled"]),
  outcome: z.enum(JOB_OUTCOMES),
  createdAt: z.string(),
  createdBy: z.string(),
  reason: z.string(),
  values: z.record(z.string(), z.unknown()),
  concurrency: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  counts: jobCountsSchema,
});

const attemptSchema = z.object({
  at: z.string(),
  outcome: z.enum(TARGET_ATTEMPT_OUTCOMES),
  attempt: z.number().int().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  by: z.string().optional(),
  nextAttemptAt: z.string().optional(),
});

export const jobSchema = jobSummarySchema.extend({
  targets: z.array(
    z.object({
      deviceId: z.string(),
      name: z.string(),
      state: z.enum(TARGET_STATES),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
      error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }).nullable(),
      attempts: z.number().int(),
      nextAttemptAt: z.string().nullable(),
      deviceRevision: z.number().int().nullable(),
      history: z.array(attemptSchema),
      updatedAt: z.string(),
    }),
  ),
});
export const jobListSchema = z.object({ items: z.array(jobSummarySchema) });

export type ServerJobRepliesFit = [Assert<Readable<JobDetail, z.input<typeof jobSchema>>>, Assert<Readable<JobSummary, z.input<typeof jobSummarySchema>>>];

export const jobUrls = {
  list: "/api/v1/jobs",
  job: (id: string) => `/api/v1/jobs/${encodeURIComponent(id)}`,
};

export const useJobs = () => useApiQuery(jobUrls.list, jobListSchema);
/** Without a live stream (EventSource closed) the page asks every 2 s instead. */
export const useJob = (id: string, poll: boolean) => useApiQuery(jobUrls.job(id), jobSchema, { refetchInterval: poll ? 2_000 : false });
