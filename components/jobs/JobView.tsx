"use client";
// /jobs/<id>: live progress of a push job. The SSE stream (/api/v1/jobs/<id>/events) says when something
// changed; the rows come from the job JSON, re-read at most once a second. Without SSE it polls every 2 s.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { parseEvent } from "@/components/api/events";
import { urlKey, useInvalidate } from "@/components/api/query";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button, buttonClass } from "@/components/ui/Button";
import { jobOutcome, OUTCOME_LABEL, type JobOutcome } from "@/lib/jobs/outcome";
import { formatValue, paramLabel, rawValue } from "@/lib/params";
import { jobCountsSchema, jobSummarySchema, jobUrls, useJob } from "./api";
import { JobProgress, STATE_LABEL } from "./JobProgress";
import { TargetList } from "./TargetList";
import type { Job, TargetState } from "./types";

export const OUTCOME_TONE: Record<JobOutcome, BadgeTone> = { queued: "neutral", running: "blue", succeeded: "green", finished_with_failures: "red", cancelled: "neutral" };

const jobEventSchema = jobSummarySchema.pick({ state: true }).extend({ counts: jobCountsSchema });

/** Live job: SSE progress events update the counts at once; the rows are re-read at most once a second. */
function useLiveJob(jobId: string) {
  const [streamClosed, setStreamClosed] = useState(false);
  const query = useJob(jobId, streamClosed);
  const client = useQueryClient();
  const invalidate = useInvalidate();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const key = urlKey(jobUrls.job(jobId));
    const es = new EventSource(`${jobUrls.job(jobId)}/events`);
    es.addEventListener("job", (ev) => {
      const e = parseEvent(jobEventSchema, ev);
      if (!e) return;
      client.setQueryData<Job>(key, (j) => (j ? { ...j, state: e.state, counts: e.counts, outcome: jobOutcome(e.state, e.counts) } : j));
      pending.current ??= setTimeout(() => {
        pending.current = null;
        void invalidate(jobUrls.job(jobId));
      }, 1000);
    });
    es.addEventListener("open", () => setStreamClosed(false));
    es.onerror = () => setStreamClosed(es.readyState === EventSource.CLOSED);
    return () => {
      es.close();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [jobId, client, invalidate]);
  return query;
}

export function JobView({ jobId, canEdit }: { jobId: string; canEdit: boolean }) {
  const { data: job, error: loadError } = useLiveJob(jobId);
  const invalidate = useInvalidate();
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState<TargetState | null>(null);
  const error = actionError ?? (loadError ? loadError.message || "Loading the job failed" : null);

  async function act(action: "cancel" | "retry") {
    setBusy(true);
    try {
      await apiFetch(`${jobUrls.job(jobId)}/${action}`, { method: "POST", schema: jobSummarySchema });
      setActionError(null);
      await invalidate(jobUrls.list, jobUrls.job(jobId));
    } catch (e) {
      setActionError(e instanceof Error ? e.message : `${action} failed`);
    } finally {
      setBusy(false);
    }
  }

  if (!job) return error ? <Alert testId="job-error">{error}</Alert> : <p>Loading job…</p>;
  const c = job.counts;
  const open = job.state === "queued" || job.state === "running";
  const keys = Object.keys(job.values);
  const shown = filter ? job.targets.filter((t) => t.state === filter) : job.targets;
  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">Push job</h1>
          <span data-testid="job-outcome" data-outcome={job.outcome}>
            <Badge tone={OUTCOME_TONE[job.outcome]}>{OUTCOME_LABEL[job.outcome]}</Badge>
          </span>
        </div>
        <p className="text-sm text-slate-700">
          Started by {job.createdBy} on {new Date(job.createdAt).toLocaleString()}
          {job.finishedAt ? ` · ended ${new Date(job.finishedAt).toLocaleString()}` : ""}
          {job.reason ? ` · Reason: ${job.reason}` : ""}
        </p>
        <div className="text-sm" data-testid="job-changes">
          <span className="font-medium">Changes:</span>{" "}
          {keys.map((k, i) => (
            <span key={k}>
              {i > 0 && ", "}
              {paramLabel(k)} → {formatValue(k, job.values[k])}
            </span>
          ))}
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-slate-600 focus-visible:outline-2 focus-visible:outline-blue-600">Raw keys and values</summary>
            <ul className="font-mono text-xs break-all text-slate-700">
              {keys.map((k) => (
                <li key={k}>{rawValue(k, job.values[k])}</li>
              ))}
            </ul>
          </details>
        </div>
      </header>
      {error && <Alert testId="job-error">{error}</Alert>}
      {job.outcome === "finished_with_failures" && (
        <Alert testId="job-failures">
          {c.failed} of {c.total} devices failed. Their errors and every attempt are listed below{canEdit ? "; “Retry failed” queues them again" : ""}.
        </Alert>
      )}
      <JobProgress counts={c} filter={filter} onFilter={setFilter} />
      <div className="flex flex-wrap gap-2">
        {canEdit && open && (
          <Button variant="danger" disabled={busy} onClick={() => act("cancel")}>
            Cancel
          </Button>
        )}
        {canEdit && c.failed > 0 && (
          <Button disabled={busy} onClick={() => act("retry")}>
            Retry failed ({c.failed})
          </Button>
        )}
        <a className={buttonClass()} href={`/api/v1/jobs/${encodeURIComponent(jobId)}/report.csv`} download>
          Download report
        </a>
      </div>
      <section aria-labelledby="job-devices" className="flex flex-col gap-2">
        <h2 id="job-devices" className="text-lg font-semibold">
          Devices{filter ? ` · ${STATE_LABEL[filter]} (${shown.length})` : ""}
        </h2>
        <TargetList targets={shown} keys={keys} />
      </section>
    </div>
  );
}
