// The job runner: claims due push_targets rows with bounded concurrency per job, pushes each device through
// lib/push, and records the outcome. The table is the queue (see ARCHITECTURE.md, "Push jobs"): a crash loses
// nothing, and a restart re-checks targets left running before pushing them again.
import "server-only";
import { and, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { logger } from "@/lib/api/logger";
import { getDb, type Db, type DbOrTx } from "@/lib/db";
import { applicationName, liveApplicationNames } from "@/lib/db/presence";
import { deviceStatus, pushJobs, pushTargets, type TargetAttempt, type TargetState } from "@/lib/db/schema";
import { eventBus } from "@/lib/events";
import { driverFor } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { validatePatch, type ConfigValues } from "@/lib/params";
import type { PushFn, PushResult } from "./push-port";
import { appendHistory, completeAudit, jobCounts, jobSettings } from "./store";

export interface RunnerOptions {
  /** The single-device push; defaults to lib/push's pushDeviceConfig. */
  push?: PushFn;
  /** Reads a device's current config values (resume check); defaults to the device client. */
  readDevice?: (deviceId: string) => Promise<Record<string, unknown>>;
  maxAttempts?: number;
  /** Delay before attempt n+1 after n failed transient attempts (default JOB_BACKOFF_MS · 2^(n-1), capped at JOB_BACKOFF_MAX_MS). */
  backoffMs?: (attempts: number) => number;
  /**
   * Since when the status poller has found the device unreachable, or null. A push that could not reach a device
   * the poller cannot reach either fails at once instead of waiting through every retry. Default: device_status.
   */
  unreachableSince?: (db: Db, deviceId: string) => Promise<Date | null>;
  /** How often targets left running by dead processes are looked for (default 5 s; also at start). */
  orphanCheckMs?: number;
  /** How often due targets are looked for (retries become due by time, not by an event). */
  pollMs?: number;
  log?: Logger;
}

export interface JobRunner {
  /** Look for work now (after a job was created or retried). */
  wake(): void;
  /** Stops claiming and waits for the pushes in flight. */
  stop(): Promise<void>;
  /** Resolves when no job has queued or running targets (tests, benchmark). */
  idle(jobId?: string): Promise<void>;
}

export function backoffFromSettings({ backoffMs, backoffMaxMs }: { backoffMs: number; backoffMaxMs: number }) {
  return (attempts: number) => Math.min(backoffMs * 2 ** Math.max(0, attempts - 1), backoffMaxMs);
}

/** Transport failures: the ones the poller can confirm (it sees the same phone not answering). */
const NOT_ANSWERING = new Set(["unreachable", "timeout"]);

async function pollerUnreachableSince(db: Db, deviceId: string): Promise<Date | null> {
  const [row] = await db.select({ state: deviceStatus.state, since: deviceStatus.since }).from(deviceStatus).where(eq(deviceStatus.deviceId, deviceId)).limit(1);
  return row?.state === "unreachable" ? row.since : null;
}

async function defaultPush(): Promise<PushFn> {
  const mod = await import("@/lib/push");
  return mod.pushDeviceConfig as PushFn;
}

async function defaultReadDevice(deviceId: string): Promise<Record<string, unknown>> {
  // Through the device's driver (a provisioning phone answers with what it last fetched).
  return (await driverFor(await getDeviceCredentials(deviceId)).getConfig()).values;
}

const pick = (values: Record<string, unknown> | null | undefined, keys: string[]) =>
  values ? Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, values[k]])) : null;

/** Whether the device already holds every change (applicable keys only: inapplicable ones are never sent). */
export function holdsChanges(device: Record<string, unknown>, changes: ConfigValues): boolean {
  // Masked secrets (null / "********") are not the device's real values; bulk changes never include secrets.
  const current = Object.fromEntries(Object.entries(device).filter(([, v]) => typeof v === "string" || typeof v === "number")) as ConfigValues;
  const r = validatePatch(current, changes);
  return r.ok && Object.keys(r.changed).length === 0;
}

export interface Claimed {
  id: number;
  deviceId: string;
  attempts: number;
}

type JobRow = typeof pushJobs.$inferSelect;

/**
 * Claims up to `n` due queued targets of a job (state → running, attempts + 1). SKIP LOCKED keeps two runners on
 * one PostgreSQL from claiming the same row.
 */
export async function claimTargets(db: DbOrTx, jobId: string, n: number): Promise<Claimed[]> {
  const res = await db.execute(sql`
    update push_targets set state = 'running', attempts = attempts + 1, claimed_by = ${applicationName()}, updated_at = now()
    where id in (
      select id from push_targets
      where job_id = ${jobId} and state = 'queued' and (next_attempt_at is null or next_attempt_at <= now())
      order by id limit ${n} for update skip locked)
    returning id, device_id, attempts`);
  // node-postgres returns bigint (the id) as a string.
  return (res as unknown as { rows: Array<{ id: number | string; device_id: string; attempts: number }> }).rows.map((r) => ({ id: Number(r.id), deviceId: r.device_id, attempts: r.attempts }));
}

/** One target's outcome as the runner records it: the columns to set and the attempt appended to its history. */
interface TargetRecord {
  id: number;
  set: Partial<Pick<typeof pushTargets.$inferInsert, "state" | "before" | "after" | "deviceRevision" | "error" | "nextAttemptAt">>;
  entry: TargetAttempt;
  at: Date;
}

/**
 * Group commit of target outcomes: at most one statement in flight; the outcomes that arrive meanwhile go out
 * together in the next one. A caller's write resolves once its row is written (so its slot, the job's completion
 * check and its progress event still follow the row), and nothing waits on a timer: a lone outcome is written at
 * once. A process killed between the push's own record and this write leaves the target `running`, which resume()
 * already handles (the device holds the change → applied without a second PATCH).
 */
export function createTargetRecorder(db: () => Promise<DbOrTx>): { write(r: TargetRecord): Promise<void> } {
  let queue: Array<{ r: TargetRecord; done: (err?: unknown) => void }> = [];
  let writing = false;
  const columns = ["state", "before", "after", "deviceRevision", "error", "nextAttemptAt"] as const;
  const flush = async () => {
    writing = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      try {
        // Absent members keep the column (a retry keeps before/after); present ones are set, null included.
        const rows = group.map(({ r }) => ({
          id: r.id,
          has: columns.filter((c) => c in r.set),
          ...r.set,
          nextAttemptAt: r.set.nextAttemptAt?.toISOString() ?? null,
          history: [r.entry],
          updatedAt: r.at.toISOString(),
        }));
        const keep = (col: string, key: string, cast: string) =>
          sql.raw(`${col} = case when v.has ? '${key}' then ${cast} else t.${col} end`);
        await (await db()).execute(sql`
          update push_targets t set
            state = coalesce(v.state, t.state),
            ${keep("before", "before", "nullif(v.before, 'null'::jsonb)")},
            ${keep("after", "after", "nullif(v.after, 'null'::jsonb)")},
            ${keep("device_revision", "deviceRevision", "v.\"deviceRevision\"")},
            ${keep("error", "error", "nullif(v.error, 'null'::jsonb)")},
            ${keep("next_attempt_at", "nextAttemptAt", "v.\"nextAttemptAt\"")},
            history = t.history || v.history,
            updated_at = v."updatedAt"
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id bigint, has jsonb, state text, before jsonb, after jsonb,
            "deviceRevision" int, error jsonb, "nextAttemptAt" timestamptz, history jsonb, "updatedAt" timestamptz)
          where t.id = v.id`);
        for (const g of group) g.done();
      } catch (err) {
        for (const g of group) g.done(err ?? new Error("recording target outcomes failed"));
      }
    }
    writing = false;
  };
  return {
    write(r) {
      const p = new Promise<void>((resolve, reject) => queue.push({ r, done: (err) => (err === undefined ? resolve() : reject(err)) }));
      if (!writing) void flush();
      return p;
    },
  };
}

export function createJobRunner(options: RunnerOptions = {}): JobRunner {
  const log = options.log ?? logger.child({ part: "jobs" });
  const maxAttempts = options.maxAttempts ?? jobSettings().maxAttempts;
  const backoff = options.backoffMs ?? backoffFromSettings(jobSettings());
  const unreachableSince = options.unreachableSince ?? pollerUnreachableSince;
  const readDevice = options.readDevice ?? defaultReadDevice;
  let pushFn: PushFn | undefined = options.push;
  // Targets of a job claimed here and not yet recorded (the job is not complete while any are) …
  const inflight = new Map<string, number>();
  // … and of those, the ones still pushing: a push whose outcome only waits for its group write frees its slot.
  const pushing = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let stopped = false;
  let ticking = false;
  let again = false;
  let nextOrphanCheck = 0;
  // The open jobs as last read. A finished target only frees a slot of a job already known, so it claims again
  // from this list; wake() (API, timer) re-reads it, which picks up new, retried and cancelled jobs.
  let openJobList: JobRow[] | null = null;
  let listGeneration = 0;
  // Outcomes are written in groups (one statement for all that finished while the previous group was in flight).
  const records = createTargetRecorder(getDb);
  const lastPublish = new Map<string, number>();
  const trailing = new Map<string, NodeJS.Timeout>();

  const publish = async (db: Db, job: Pick<JobRow, "id">, state: string, force = false) => {
    // At most a few progress events per second per job; the final one always goes out.
    const now = Date.now();
    if (!force && now - (lastPublish.get(job.id) ?? 0) < 200) {
      if (!trailing.has(job.id)) trailing.set(job.id, setTimeout(() => void publishNow(db, job.id).catch(() => {}), 200));
      return;
    }
    await publishNow(db, job.id, state);
  };
  const publishNow = async (db: Db, jobId: string, state?: string) => {
    clearTimeout(trailing.get(jobId));
    trailing.delete(jobId);
    lastPublish.set(jobId, Date.now());
    const counts = (await jobCounts(db, [jobId])).get(jobId)!;
    if (!state) [{ state }] = await db.select({ state: pushJobs.state }).from(pushJobs).where(eq(pushJobs.id, jobId));
    const done = counts.applied + counts.failed + counts.skipped + counts.cancelled;
    eventBus().publish("job", { jobId, state: state!, done, total: counts.total, counts });
  };

  /**
   * Targets left running by a process that is gone (crash, SIGKILL — its connections are no longer in
   * pg_stat_activity; other live runners' targets are left alone): already applied → recorded without a second
   * PATCH; else queued again. Checked at start and then every ORPHAN_CHECK_MS.
   */
  async function resume(db: Db): Promise<void> {
    // Every live portal process keeps at least its event relay's connection open, so "listed" means "alive".
    const live = await liveApplicationNames(db);
    const stale = await db
      .select({ id: pushTargets.id, deviceId: pushTargets.deviceId, jobId: pushTargets.jobId, values: pushJobs.values })
      .from(pushTargets)
      .innerJoin(pushJobs, eq(pushJobs.id, pushTargets.jobId))
      .where(
        and(
          eq(pushTargets.state, "running"),
          // This process is listed too: its own running targets are in flight here, not orphans.
          or(isNull(pushTargets.claimedBy), notInArray(pushTargets.claimedBy, [...live, applicationName()])),
        ),
      );
    for (const t of stale) {
      const keys = Object.keys(t.values);
      let device: Record<string, unknown> | null = null;
      try {
        device = await readDevice(t.deviceId);
      } catch (err) {
        log.warn({ deviceId: t.deviceId, err: (err as Error).message }, "resume: device not readable; pushing again");
      }
      const applied = device !== null && holdsChanges(device, t.values as ConfigValues);
      await db
        .update(pushTargets)
        .set(
          applied
            ? { state: "applied", after: pick(device, keys), error: null, nextAttemptAt: null, history: appendHistory({ at: new Date().toISOString(), outcome: "resumed_applied", message: "The portal process pushing this stopped mid-push; the device already held the changes" }), updatedAt: new Date() }
            : { state: "queued", nextAttemptAt: null, history: appendHistory({ at: new Date().toISOString(), outcome: "interrupted", message: "The portal process pushing this stopped mid-push; queued again" }), updatedAt: new Date() },
        )
        .where(eq(pushTargets.id, t.id));
      log.info({ jobId: t.jobId, deviceId: t.deviceId, applied }, "resumed a target left running");
    }
  }

  async function record(db: Db, job: JobRow, t: Claimed, result: PushResult): Promise<void> {
    const keys = Object.keys(job.values);
    const now = new Date();
    const entry: TargetAttempt = { at: now.toISOString(), attempt: t.attempts, outcome: "applied" };
    let set: Partial<typeof pushTargets.$inferInsert>;
    if (result.ok) {
      // A no-op on the first attempt: the device already had the values. On a later attempt it means an earlier
      // attempt did apply them (e.g. its reply timed out), so the target counts as applied.
      const state: TargetState = result.noop && t.attempts === 1 ? "skipped" : "applied";
      entry.outcome = state;
      set = { state, before: pick(result.before, keys), after: pick(result.after, keys), deviceRevision: result.deviceRevision, error: null, nextAttemptAt: null };
    } else {
      const e = result.error;
      const error = { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) };
      Object.assign(entry, { code: e.code, message: e.message });
      const [{ state: jobState }] = await db.select({ state: pushJobs.state }).from(pushJobs).where(eq(pushJobs.id, job.id));
      const knownDown = e.retryable && NOT_ANSWERING.has(e.code) ? await unreachableSince(db, t.deviceId) : null;
      if (e.retryable && t.attempts < maxAttempts && jobState !== "cancelled" && !knownDown) {
        const next = new Date(now.getTime() + backoff(t.attempts));
        Object.assign(entry, { outcome: "retrying", nextAttemptAt: next.toISOString() });
        set = { state: "queued", error, nextAttemptAt: next };
      } else {
        const why = knownDown
          ? " (not retried: the status poller cannot reach this phone either)"
          : e.retryable
            ? ` (gave up after ${t.attempts} attempt${t.attempts === 1 ? "" : "s"})`
            : "";
        entry.outcome = "failed";
        set = { state: "failed", error: { ...error, message: e.message + why }, nextAttemptAt: null };
      }
    }
    await records.write({ id: t.id, set, entry, at: now });
  }

  async function finishIfComplete(db: Db, jobId: string): Promise<void> {
    // Pushes of this job still in flight here: not complete, and no need to ask the database.
    if ((inflight.get(jobId) ?? 0) > 0) return;
    const [open] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(pushTargets)
      .where(and(eq(pushTargets.jobId, jobId), inArray(pushTargets.state, ["queued", "running"])));
    if (open.n > 0 || (inflight.get(jobId) ?? 0) > 0) return;
    const done = await db
      .update(pushJobs)
      .set({ state: "done", finishedAt: new Date() })
      .where(and(eq(pushJobs.id, jobId), inArray(pushJobs.state, ["queued", "running"])))
      .returning({ id: pushJobs.id });
    if (done.length) {
      openJobList = openJobList?.filter((j) => j.id !== jobId) ?? null;
      await completeAudit(db, jobId);
      log.info({ jobId }, "job done");
    }
    await publishNow(db, jobId);
  }

  async function runTarget(db: Db, job: JobRow, t: Claimed, pushed: () => void): Promise<void> {
    let result: PushResult;
    try {
      pushFn ??= await defaultPush();
      result = await pushFn({ deviceId: t.deviceId, changes: job.values as ConfigValues, actor: job.createdBy, source: "job", jobId: job.id });
    } catch (err) {
      // A bug or a database error, not a device answer: retrying would most likely hit it again.
      log.error({ err, jobId: job.id, deviceId: t.deviceId }, "push threw");
      result = { ok: false, error: { code: "internal", message: `Push failed inside the portal: ${(err as Error).message}`, retryable: false } };
    }
    const written = record(db, job, t, result);
    pushed();
    await written;
    await publish(db, job, "running");
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      const db = await getDb();
      if (Date.now() >= nextOrphanCheck) {
        nextOrphanCheck = Date.now() + (options.orphanCheckMs ?? 5_000);
        await resume(db);
      }
      do {
        again = false;
        let jobs = openJobList;
        if (!jobs) {
          const generation = listGeneration;
          jobs = await db.select().from(pushJobs).where(inArray(pushJobs.state, ["queued", "running"]));
          // A wake() while reading: the list may predate what woke it; the next loop reads it again.
          if (generation === listGeneration) openJobList = jobs;
        }
        for (const job of jobs) {
          if (stopped) return;
          const free = job.concurrency - (pushing.get(job.id) ?? 0);
          const claimed = free > 0 ? await claimTargets(db, job.id, free) : [];
          if (claimed.length && job.state === "queued") {
            await db.update(pushJobs).set({ state: "running", startedAt: new Date() }).where(eq(pushJobs.id, job.id));
            job.state = "running";
            await publishNow(db, job.id, "running");
          }
          for (const t of claimed) {
            inflight.set(job.id, (inflight.get(job.id) ?? 0) + 1);
            pushing.set(job.id, (pushing.get(job.id) ?? 0) + 1);
            let slot = true;
            const free = () => {
              if (!slot) return;
              slot = false;
              pushing.set(job.id, pushing.get(job.id)! - 1);
              refill();
            };
            const p: Promise<void> = runTarget(db, job, t, free)
              .catch((err) => log.error({ err, jobId: job.id }, "recording a push outcome failed"))
              .finally(() => {
                free();
                inflight.set(job.id, inflight.get(job.id)! - 1);
                running.delete(p);
                refill();
              });
            running.add(p);
          }
          if (!claimed.length) await finishIfComplete(db, job.id);
        }
      } while (again && !stopped);
    } catch (err) {
      log.error({ err }, "job runner tick failed; retrying on the next one");
    } finally {
      ticking = false;
    }
  }

  const openJobs = async (db: Db) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(pushJobs).where(inArray(pushJobs.state, ["queued", "running"])))[0].n;

  function wake(): void {
    openJobList = null;
    listGeneration++;
    if (!stopped) void tick();
  }

  function refill(): void {
    if (!stopped) void tick();
  }

  const timer = setInterval(wake, options.pollMs ?? 1000);
  timer.unref();
  wake();

  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const t of trailing.values()) clearTimeout(t);
      while (running.size) await Promise.allSettled([...running]);
      while (ticking) await new Promise((r) => setTimeout(r, 10));
    },
    async idle(jobId?: string) {
      // Polls the table (the source of truth) rather than in-memory state, so it also sees other runners' work.
      for (;;) {
        const db = await getDb();
        const open = jobId
          ? (await db.select({ state: pushJobs.state }).from(pushJobs).where(eq(pushJobs.id, jobId))).filter((j) => j.state === "queued" || j.state === "running").length
          : await openJobs(db);
        if (open === 0 && (!jobId || (inflight.get(jobId) ?? 0) === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

// One runner per process, shared by instrumentation (start + resume) and the API (wake after create/retry).
const KEY = Symbol.for("sip-admin-portal.job-runner");
type Holder = { [KEY]?: JobRunner };

export function startJobRunner(options?: RunnerOptions): JobRunner {
  const holder = globalThis as unknown as Holder;
  return (holder[KEY] ??= createJobRunner(options));
}

/**
 * After a job was created or retried: this process's runner looks at once. A process without one (JOBS=off) starts
 * none — the processes that run jobs find the work on their next look (every second).
 */
export function wakeJobRunner(): void {
  (globalThis as unknown as Holder)[KEY]?.wake();
}

export async function stopJobRunner(): Promise<void> {
  const holder = globalThis as unknown as Holder;
  const r = holder[KEY];
  delete holder[KEY];
  await r?.stop();
}
