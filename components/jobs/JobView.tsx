"use client";
// /jobs/<id>: live progress of a push job. The SSE stream (/api/v1/jobs/<id>/events) says when something
// changed; the rows come from the job JSON, re-read at most once a second. Without SSE it polls every 2 s.
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button, buttonClass } from "@/components/ui/Button";
import { paramByKey } from "@/lib/params";
import { finished, type Job, type TargetState } from "./types";

const TONE: Record<TargetState, BadgeTone> = { queued: "neutral", running: "blue", applied: "green", failed: "red", skipped: "amber", cancelled: "neutral" };
const label = (k: string) => paramByKey(k)?.label ?? k;
const show = (v: unknown) => (v === null || v === undefined ? "—" : String(v));

export function JobView({ jobId, canEdit }: { jobId: string; canEdit: boolean }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setJob(await apiFetch<Job>(`/api/v1/jobs/${encodeURIComponent(jobId)}`));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Loading the job failed");
    }
  }, [jobId]);

  const reloadSoon = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      void load();
    }, 1000);
  }, [load]);

  useEffect(() => {
    void load();
    const es = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
    es.addEventListener("job", (ev) => {
      const e = JSON.parse((ev as MessageEvent<string>).data) as { state: Job["state"]; counts: Job["counts"] };
      setJob((j) => (j ? { ...j, state: e.state, counts: e.counts } : j));
      reloadSoon();
    });
    const poll = setInterval(() => {
      if (es.readyState === EventSource.CLOSED) void load();
    }, 2000);
    return () => {
      es.close();
      clearInterval(poll);
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [jobId, load, reloadSoon]);

  async function act(action: "cancel" | "retry") {
    setBusy(true);
    try {
      await apiFetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/${action}`, { method: "POST" });
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : `${action} failed`);
    } finally {
      setBusy(false);
    }
  }

  if (!job) return error ? <Alert testId="job-error">{error}</Alert> : <p>Loading job…</p>;
  const c = job.counts;
  const percent = c.total ? Math.round((finished(c) / c.total) * 100) : 100;
  const open = job.state === "queued" || job.state === "running";
  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">Push job</h1>
        <p className="text-sm text-slate-600">
          Started by {job.createdBy} on {new Date(job.createdAt).toLocaleString()} · <span data-testid="job-state">{job.state}</span>
          {job.reason ? ` · Reason: ${job.reason}` : ""}
        </p>
        <p className="text-sm">
          Changes: {Object.entries(job.values).map(([k, v]) => `${label(k)} = ${show(v)}`).join(", ")}
        </p>
      </header>
      {error && <Alert testId="job-error">{error}</Alert>}
      <div className="flex flex-col gap-1">
        <div role="progressbar" aria-label="Job progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-3 w-full overflow-hidden rounded bg-slate-200">
          <div className="h-full bg-blue-700 transition-all" style={{ width: `${percent}%` }} />
        </div>
        <p data-testid="job-counts" className="text-sm">
          {percent} % · {c.applied} applied · {c.failed} failed · {c.skipped} skipped · {c.cancelled} cancelled · {c.running} running · {c.queued} queued · {c.total} devices
        </p>
      </div>
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
      <div className="overflow-auto rounded-md border border-slate-200">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left">
            <tr>
              <th className="px-3 py-2">Device</th>
              <th className="px-3 py-2">State</th>
              <th className="px-3 py-2">Attempts</th>
              <th className="px-3 py-2">Before → after / error</th>
            </tr>
          </thead>
          <tbody>
            {job.targets.map((t) => (
              <tr key={t.deviceId} className="border-t border-slate-100 align-top" data-testid="job-target">
                <td className="px-3 py-1.5">
                  <Link className="text-blue-800 underline-offset-2 hover:underline" href={`/devices/${t.deviceId}`}>
                    {t.name}
                  </Link>
                </td>
                <td className="px-3 py-1.5">
                  <Badge tone={TONE[t.state]}>{t.state}</Badge>
                </td>
                <td className="px-3 py-1.5">{t.attempts}</td>
                <td className="px-3 py-1.5">
                  {t.error ? (
                    <span className="text-red-800">
                      {t.error.message}
                      {t.error.fields ? ` (${Object.entries(t.error.fields).map(([k, m]) => `${label(k)}: ${m}`).join("; ")})` : ""}
                    </span>
                  ) : t.after ? (
                    Object.keys(t.after).map((k) => (
                      <div key={k}>
                        {label(k)}: {show(t.before?.[k])} → {show(t.after?.[k])}
                      </div>
                    ))
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
