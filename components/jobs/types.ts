// The job JSON of GET /api/v1/jobs/<id> as the browser sees it.
export type TargetState = "queued" | "running" | "applied" | "failed" | "skipped" | "cancelled";
export type Counts = Record<TargetState, number> & { total: number };

export interface JobTarget {
  deviceId: string;
  name: string;
  state: TargetState;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  error: { code: string; message: string; fields?: Record<string, string> } | null;
  attempts: number;
  nextAttemptAt: string | null;
}

export interface Job {
  id: string;
  state: "queued" | "running" | "done" | "cancelled";
  createdAt: string;
  createdBy: string;
  reason: string;
  values: Record<string, unknown>;
  counts: Counts;
  targets: JobTarget[];
}

export const finished = (c: Counts) => c.applied + c.failed + c.skipped + c.cancelled;
