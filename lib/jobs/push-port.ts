// The seam between the job runner and the single-device push (lib/push). The runner takes the function as an
// option so tests and the benchmark can count or slow calls; the app uses the real pushDeviceConfig.
export interface PushInput {
  deviceId: string;
  changes: Record<string, string | number>;
  actor: string;
  source?: "push" | "restore" | "job";
  jobId?: string;
}

export interface PushError {
  code: string;
  message: string;
  fields?: Record<string, string>;
  /** Transient (unreachable, timeout, 5xx, conflict after re-diff): worth another attempt later. */
  retryable: boolean;
}

export type PushResult =
  | { ok: true; deviceRevision: number | null; before: Record<string, unknown>; after: Record<string, unknown>; snapshotId: number | null; noop: boolean }
  | { ok: false; error: PushError };

export type PushFn = (input: PushInput) => Promise<PushResult>;
