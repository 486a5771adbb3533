// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { selectionFilterSchema } from "@/lib/jobs/selection";
import { bulkValuesSchema, commonValuesSchema, jobCountsSchema, jobSchema, jobSummarySchema, previewSchema, selectionSchema } from "@/lib/jobs/schemas";
import { E, csv, err, idParam, ok, op, jsonContent, sse, type Paths } from "../doc";

const jobIdParam = idParam("Job");

export const jobPaths: Paths = {
      "/jobs": {
        get: op({ summary: "Recent push jobs", responses: { 200: ok("Jobs, newest first", z.object({ items: z.array(jobSummarySchema) })), 401: E[401] } }),
        post: op({
          summary: "Start a bulk push job (admins)",
          description: "Selection as `selection`, or `deviceIds` / `filter` at the top level. Devices whose merged config would be invalid are recorded as skipped (error `invalid`).",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema.optional(), deviceIds: z.array(z.uuid()).optional(), filter: selectionFilterSchema.optional(), values: bulkValuesSchema, reason: z.string().max(500).optional() })) },
          responses: { 201: ok("Created; runs in the background", z.object({ id: z.uuid(), counts: jobCountsSchema })), 400: E[400], 401: E[401], 403: E[403], 422: E[422] },
        }),
      },
      "/jobs/preview": {
        post: op({
          summary: "Per-device preview of a bulk change (nothing is sent)",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema, values: bulkValuesSchema })) },
          responses: { 200: ok("Per-device diff", previewSchema), 401: E[401], 422: E[422] },
        }),
      },
      "/jobs/preview.csv": {
        post: op({ summary: "The preview as CSV (device, status, key, from, to, error)", requestBody: { content: jsonContent(z.object({ selection: selectionSchema, values: bulkValuesSchema })) }, responses: { 200: csv("CSV"), 401: E[401], 422: E[422] } }),
      },
      "/jobs/common": {
        post: op({
          summary: "Common value of each key across the selection (or mixed)",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema, keys: z.array(z.string()) })) },
          responses: { 200: ok("Per key", commonValuesSchema), 401: E[401], 422: E[422] },
        }),
      },
      "/jobs/{id}": { get: op({ summary: "A job with counts and per-device targets", requestParams: jobIdParam, responses: { 200: ok("The job", jobSchema), 401: E[401], 404: E[404] } }) },
      "/jobs/{id}/cancel": { post: op({ summary: "Cancel: queued targets are cancelled, running ones finish (admins)", requestParams: jobIdParam, responses: { 200: ok("Cancelled", jobSummarySchema), 401: E[401], 403: E[403], 404: E[404], 409: E[409] } }) },
      "/jobs/{id}/retry": { post: op({ summary: "Queue the failed targets again (admins)", requestParams: jobIdParam, responses: { 200: ok("Running again", jobSummarySchema), 401: E[401], 403: E[403], 404: E[404], 409: err("No failed targets") } }) },
      "/jobs/{id}/report.csv": { get: op({ summary: "Per-device report (state, attempts, error, before/after per key)", requestParams: jobIdParam, responses: { 200: csv("CSV"), 401: E[401], 404: E[404] } }) },
      "/jobs/{id}/events": { get: op({ summary: "Progress as server-sent events (`event: job`, data {jobId, state, done, total, counts})", requestParams: jobIdParam, responses: { 200: sse("Event stream"), 401: E[401], 404: E[404] } }) },
};
