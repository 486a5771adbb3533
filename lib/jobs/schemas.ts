// Reply shapes of bulk push jobs. Pure zod (plus the outcome vocabularies).
import { z } from "zod";
import { TARGET_ATTEMPT_OUTCOMES } from "@/lib/db/schema";
import { JOB_OUTCOMES } from "./outcome";
import { selectionFilterSchema } from "./selection";
import { jobStateSchema, targetStateSchema } from "@/lib/states";

export const selectionSchema = z
  .union([z.object({ deviceIds: z.array(z.uuid()) }), z.object({ filter: selectionFilterSchema })])
  .meta({ id: "Selection", description: "Checked devices, or every device matching the filter (resolved on the server)" });
export const bulkValuesSchema = z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: "Proxy-related, non-secret catalog keys → new values" });
export const jobCountsSchema = z.object({ queued: z.number(), running: z.number(), applied: z.number(), failed: z.number(), skipped: z.number(), cancelled: z.number(), total: z.number() });
export const jobSummarySchema = z
  .object({
    id: z.uuid(),
    state: jobStateSchema,
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    reason: z.string(),
    values: bulkValuesSchema,
    concurrency: z.number().int(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    outcome: z.enum(JOB_OUTCOMES).meta({ description: "A done job with any failed target is finished_with_failures" }),
    counts: jobCountsSchema,
  })
  .meta({ id: "JobSummary" });
export const targetAttemptSchema = z
  .object({
    at: z.iso.datetime(),
    outcome: z.enum(TARGET_ATTEMPT_OUTCOMES),
    attempt: z.number().int().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    by: z.string().optional(),
    nextAttemptAt: z.iso.datetime().optional(),
  })
  .meta({ id: "TargetAttempt", description: "One attempt's outcome (or a retry request / restart), kept across retries" });
export const jobSchema = jobSummarySchema
  .extend({
    targets: z.array(
      z.object({
        deviceId: z.uuid(),
        name: z.string(),
        state: targetStateSchema,
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.record(z.string(), z.unknown()).nullable(),
        error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }).nullable(),
        attempts: z.number().int(),
        nextAttemptAt: z.iso.datetime().nullable(),
        deviceRevision: z.number().int().nullable(),
        history: z.array(targetAttemptSchema),
        updatedAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: "Job" });
export const previewSchema = z
  .object({
    rows: z.array(
      z.object({
        deviceId: z.uuid(),
        name: z.string(),
        status: z.enum(["change", "nochange", "invalid", "unread"]).meta({ description: "unread: the portal could not read this phone yet (not compared; a job reads it first)" }),
        diff: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
        errors: z.record(z.string(), z.string()).optional(),
        unread: z.literal(true).optional(),
      }),
    ),
    counts: z.object({ change: z.number(), nochange: z.number(), invalid: z.number(), unread: z.number(), total: z.number() }),
  })
  .meta({ id: "BulkPreview" });

const bulkValue = z.union([z.string(), z.number()]).nullable();
/** POST /jobs/common: per key what the selected phones hold (values last read from them), with counts. */
export const commonValuesSchema = z
  .object({
    total: z.number().int(),
    values: z.record(
      z.string(),
      z.object({
        common: z.boolean().meta({ description: "Every selected phone was read and holds the same value" }),
        value: bulkValue,
        holders: z.array(z.object({ value: bulkValue, devices: z.number().int() })).meta({ description: "Each value the read phones hold and how many hold it, most common first" }),
      }),
    ),
    unread: z.object({ count: z.number().int(), names: z.array(z.string()).max(20) }).meta({ description: "Selected phones not read yet (left out of values)" }),
  })
  .meta({ id: "BulkCommonValues" });
