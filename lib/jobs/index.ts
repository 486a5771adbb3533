// The app's entry to bulk push jobs (issue 7).
import "server-only";

export { BULK_PARAMS, BULK_SECTIONS, isBulkKey } from "./bulk-params";
export { selectionOf, selectionSchema, type Selection } from "./selection";
export { checkBulkValues, commonValues, previewSelection, type Preview, type PreviewRow } from "./preview";
export { cancelJob, createJob, getJob, jobReportCsv, listJobs, previewCsv, retryJob, type JobDetail, type JobSummary } from "./store";
export { createJobRunner, startJobRunner, stopJobRunner, wakeJobRunner, type JobRunner, type RunnerOptions } from "./runner";
export type { PushFn, PushInput, PushResult } from "./push-port";
