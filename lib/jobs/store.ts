// Push jobs in the database: create (from a preview), read with counts, list, cancel, retry failed, CSV report.
// The push_targets rows ARE the queue: the runner (runner.ts) claims due ones; nothing lives only in memory.
import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import Papa from "papaparse";
import { AppError, notFound } from "@/lib/errors";
import { toSpreadsheetCsv } from "@/lib/csv";
import { getDb, type DbOrTx } from "@/lib/db";
import { env } from "@/lib/env";
import { auditLog, devices, pushJobs, pushTargets, type JobState, type TargetAttempt, type TargetState } from "@/lib/db/schema";
import { isUuid } from "@/lib/inventory/devices";
import { jobOutcome, type Counts, type JobOutcome } from "./outcome";
import { checkBulkValues, phoneConfigs, previewOne, type Preview } from "./preview";
import { resolveSelection, type Selection } from "./selection";

export type { Counts } from "./outcome";

export const jobSettings = () => {
  const e = env();
  return {
    concurrency: e.JOB_CONCURRENCY,
    maxAttempts: e.JOB_MAX_ATTEMPTS,
    /** Delay before the 2nd attempt after a transient error; doubles per attempt up to backoffMaxMs. */
    backoffMs: e.JOB_BACKOFF_MS,
    backoffMaxMs: e.JOB_BACKOFF_MAX_MS,
  };
};

export interface JobTarget {
  deviceId: string;
  name: string;
  state: TargetState;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  error: { code: string; message: string; fields?: Record<string, string> } | null;
  attempts: number;
  nextAttemptAt: string | null;
  deviceRevision: number | null;
  /** Every attempt (what failed, when, the error) and retry request, oldest first; kept across retries. */
  history: TargetAttempt[];
  updatedAt: string;
}

export interface JobSummary {
  id: string;
  state: JobState;
  createdAt: string;
  createdBy: string;
  reason: string;
  values: Record<string, unknown>;
  concurrency: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** The job as a person reads it: a finished job with any failed target is "finished_with_failures". */
  outcome: JobOutcome;
  counts: Counts;
}

export type JobDetail = JobSummary & { targets: JobTarget[] };

const emptyCounts = (): Counts => ({ queued: 0, running: 0, applied: 0, failed: 0, skipped: 0, cancelled: 0, total: 0 });

export async function jobCounts(db: DbOrTx, jobIds: string[]): Promise<Map<string, Counts>> {
  const out = new Map(jobIds.map((id) => [id, emptyCounts()]));
  if (!jobIds.length) return out;
  const rows = await db
    .select({ jobId: pushTargets.jobId, state: pushTargets.state, n: sql<number>`count(*)::int` })
    .from(pushTargets)
    .where(inArray(pushTargets.jobId, jobIds))
    .groupBy(pushTargets.jobId, pushTargets.state);
  for (const r of rows) {
    const c = out.get(r.jobId)!;
    c[r.state] = r.n;
    c.total += r.n;
  }
  return out;
}

function summary(j: typeof pushJobs.$inferSelect, counts: Counts): JobSummary {
  return {
    id: j.id,
    state: j.state,
    createdAt: j.createdAt.toISOString(),
    createdBy: j.createdBy,
    reason: j.reason,
    values: j.values,
    concurrency: j.concurrency,
    startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null,
    outcome: jobOutcome(j.state, counts),
    counts,
  };
}

export interface CreateJobInput {
  selection: Selection;
  values: unknown;
  reason?: string;
  concurrency?: number;
}

/**
 * Creates a job from the same per-device preview the admin saw: devices whose merged config would be invalid
 * are recorded as skipped with the reason (excluded unless fixed); the others are queued. Devices that look
 * unchanged are queued too: the portal's known config may be stale, and a push that finds nothing to do is a
 * cheap no-op (recorded as skipped). One audit entry per job; the runner completes it with the results.
 */
export async function createJob(input: CreateJobInput, actor: string): Promise<{ id: string; counts: Counts }> {
  const values = checkBulkValues(input.values);
  const reason = (input.reason ?? "").trim().slice(0, 500);
  const db = await getDb();
  const id = await db.transaction(async (tx) => {
    const selected = await resolveSelection(tx, input.selection);
    if (!selected.length) throw new AppError("validation_failed", "The selection matches no device", { fields: { selection: "No device matches" } });
    const configs = await phoneConfigs(tx, selected.map((d) => d.id));
    const [job] = await tx
      .insert(pushJobs)
      .values({ createdBy: actor, reason, values, concurrency: input.concurrency ?? jobSettings().concurrency })
      .returning({ id: pushJobs.id });
    const rows = selected.map((d) => {
      // A phone never read is queued: its push reads it first and validates against what it holds.
      const phone = configs.get(d.id);
      if (!phone) return { jobId: job.id, deviceId: d.id, state: "queued" as const };
      const p = previewOne(phone, values);
      return p.status === "invalid"
        ? { jobId: job.id, deviceId: d.id, state: "skipped" as const, error: { code: "invalid", message: "The merged configuration would be invalid on this device", fields: p.errors } }
        : { jobId: job.id, deviceId: d.id, state: "queued" as const };
    });
    for (let i = 0; i < rows.length; i += 2000) await tx.insert(pushTargets).values(rows.slice(i, i + 2000));
    await tx.insert(auditLog).values({
      actor,
      action: "job.push",
      targetType: "job",
      targetId: job.id,
      details: { jobId: job.id, reason, values, devices: rows.length, results: null },
    });
    return job.id;
  });
  return { id, counts: (await jobCounts(db, [id])).get(id)! };
}

export async function getJob(id: string): Promise<JobDetail> {
  if (!isUuid(id)) throw notFound("Job");
  const db = await getDb();
  const [job] = await db.select().from(pushJobs).where(eq(pushJobs.id, id)).limit(1);
  if (!job) throw notFound("Job");
  const rows = await db
    .select({ t: pushTargets, name: devices.name })
    .from(pushTargets)
    .innerJoin(devices, eq(devices.id, pushTargets.deviceId))
    .where(eq(pushTargets.jobId, id))
    .orderBy(asc(devices.name), asc(pushTargets.id));
  const counts = (await jobCounts(db, [id])).get(id)!;
  return {
    ...summary(job, counts),
    targets: rows.map(({ t, name }) => ({
      deviceId: t.deviceId,
      name,
      state: t.state,
      before: t.before ?? null,
      after: t.after ?? null,
      error: t.error ?? null,
      attempts: t.attempts,
      nextAttemptAt: t.nextAttemptAt?.toISOString() ?? null,
      deviceRevision: t.deviceRevision ?? null,
      history: t.history ?? [],
      updatedAt: t.updatedAt.toISOString(),
    })),
  };
}

export async function listJobs(limit = 50): Promise<{ items: JobSummary[] }> {
  const db = await getDb();
  const jobs = await db.select().from(pushJobs).orderBy(desc(pushJobs.createdAt)).limit(Math.min(Math.max(limit, 1), 500));
  const counts = await jobCounts(db, jobs.map((j) => j.id));
  return { items: jobs.map((j) => summary(j, counts.get(j.id)!)) };
}

async function jobRow(db: DbOrTx, id: string) {
  if (!isUuid(id)) throw notFound("Job");
  const [job] = await db.select().from(pushJobs).where(eq(pushJobs.id, id)).limit(1).for("update");
  if (!job) throw notFound("Job");
  return job;
}

/** Queued targets become cancelled at once; targets already running finish and keep their outcome. */
export async function cancelJob(id: string, actor: string): Promise<JobSummary> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const job = await jobRow(tx, id);
    if (job.state === "done" || job.state === "cancelled") throw new AppError("conflict", `The job is already ${job.state}`);
    const now = new Date();
    await tx.update(pushTargets).set({ state: "cancelled", nextAttemptAt: null, updatedAt: now }).where(and(eq(pushTargets.jobId, id), eq(pushTargets.state, "queued")));
    await tx.update(pushJobs).set({ state: "cancelled", finishedAt: now }).where(eq(pushJobs.id, id));
    await tx.insert(auditLog).values({ actor, action: "job.cancel", targetType: "job", targetId: id, details: { jobId: id } });
  });
  await completeAudit(db, id);
  return (await listOne(db, id))!;
}

/** Failed targets go back to the queue with a fresh attempt budget; the job runs again. */
export async function retryJob(id: string, actor: string): Promise<JobSummary> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await jobRow(tx, id);
    const now = new Date();
    const mark: TargetAttempt = { at: now.toISOString(), outcome: "retry_requested", by: actor };
    const retried = await tx
      .update(pushTargets)
      .set({ state: "queued", attempts: 0, nextAttemptAt: null, history: appendHistory(mark), updatedAt: now })
      .where(and(eq(pushTargets.jobId, id), eq(pushTargets.state, "failed")))
      .returning({ id: pushTargets.id });
    if (!retried.length) throw new AppError("conflict", "The job has no failed targets to retry");
    await tx.update(pushJobs).set({ state: "running", finishedAt: null }).where(eq(pushJobs.id, id));
    await tx.insert(auditLog).values({ actor, action: "job.retry", targetType: "job", targetId: id, details: { jobId: id, targets: retried.length } });
  });
  return (await listOne(db, id))!;
}

/** SQL that appends entries to a target's history in the same UPDATE that records the outcome. */
export const appendHistory = (...entries: TargetAttempt[]) => sql`${pushTargets.history} || ${JSON.stringify(entries)}::jsonb`;

async function listOne(db: DbOrTx, id: string): Promise<JobSummary | null> {
  const [job] = await db.select().from(pushJobs).where(eq(pushJobs.id, id)).limit(1);
  return job ? summary(job, (await jobCounts(db, [id])).get(id)!) : null;
}

/** Writes the per-device results into the job's one audit entry (at the end of the job, and again after a retry). */
export async function completeAudit(db: DbOrTx, jobId: string): Promise<void> {
  const targets = await db
    .select({ deviceId: pushTargets.deviceId, state: pushTargets.state, error: pushTargets.error, deviceRevision: pushTargets.deviceRevision })
    .from(pushTargets)
    .where(eq(pushTargets.jobId, jobId));
  const counts = (await jobCounts(db, [jobId])).get(jobId)!;
  const results = targets.map((t) => ({ deviceId: t.deviceId, state: t.state, deviceRevision: t.deviceRevision, error: t.error ? { code: t.error.code, message: t.error.message } : undefined }));
  await db
    .update(auditLog)
    .set({ details: sql`jsonb_set(${auditLog.details}, '{results}', ${JSON.stringify({ counts, targets: results })}::jsonb)` })
    .where(and(eq(auditLog.action, "job.push"), eq(auditLog.targetType, "job"), eq(auditLog.targetId, jobId)));
}

const cell = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** One line per device and changed key: what the admin needs to file or to re-check by hand. */
export function jobReportCsv(job: JobDetail): string {
  const keys = Object.keys(job.values);
  const rows = job.targets.map((t) => ({
    device: t.name,
    deviceId: t.deviceId,
    state: t.state,
    attempts: t.attempts,
    error: t.error ? `${t.error.code}: ${t.error.message}` : "",
    fields: t.error?.fields ? Object.entries(t.error.fields).map(([k, m]) => `${k}: ${m}`).join("; ") : "",
    history: t.history.map((h) => [h.at, h.outcome, h.code, h.message, h.by].filter(Boolean).join(" ")).join(" | "),
    deviceRevision: cell(t.deviceRevision),
    ...Object.fromEntries(keys.flatMap((k) => [[`${k} before`, cell(t.before?.[k])], [`${k} after`, cell(t.after?.[k])]])),
  }));
  return toSpreadsheetCsv(["device", "deviceId", "state", "attempts", "error", "fields", "history", "deviceRevision", ...keys.flatMap((k) => [`${k} before`, `${k} after`])], rows.map((r) => Object.values(r)));
}

export function previewCsv(preview: Preview): string {
  const data = preview.rows.flatMap((r) => {
    if (r.status === "invalid") return Object.entries(r.errors ?? {}).map(([k, m]) => [r.name, r.deviceId, r.status, k, "", "", m]);
    if (r.status === "nochange") return [[r.name, r.deviceId, r.status, "", "", "", ""]];
    return Object.entries(r.diff).map(([k, d]) => [r.name, r.deviceId, r.status, k, cell(d.from), cell(d.to), ""]);
  });
  return toSpreadsheetCsv(["device", "deviceId", "status", "key", "from", "to", "error"], data);
}
