"use client";
import clsx from "clsx";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/Badge";
import { OUTCOME_LABEL } from "@/lib/jobs/outcome";
import { formatValue, paramLabel } from "@/lib/params";
import { OUTCOME_TONE } from "./JobView";
import { finished, type Job } from "./types";

type JobSummary = Omit<Job, "targets">;

/** /jobs: recent push jobs, newest first, one card each (stacks at 390 px). */
export function JobList() {
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    apiFetch<{ items: JobSummary[] }>("/api/v1/jobs")
      .then((r) => setJobs(r.items))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : "Loading jobs failed"));
  }, []);
  if (error) return <Alert>{error}</Alert>;
  if (!jobs) return <p>Loading jobs…</p>;
  if (!jobs.length) return <p>No push jobs yet. Start one from the device list with “Bulk edit”.</p>;
  return (
    <ul aria-label="Push jobs" className="flex flex-col divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
      {jobs.map((j) => (
        <li key={j.id} data-testid="job-row" className="grid gap-x-4 gap-y-1 px-3 py-2 text-sm md:grid-cols-[12rem_10rem_minmax(0,1fr)]">
          <div>
            <Link className="font-medium text-blue-800 hover:underline" href={`/jobs/${j.id}`}>
              {new Date(j.createdAt).toLocaleString()}
            </Link>
            <span className="block text-slate-600">by {j.createdBy}</span>
          </div>
          <div className="flex flex-col items-start gap-1">
            <Badge tone={OUTCOME_TONE[j.outcome]}>{OUTCOME_LABEL[j.outcome]}</Badge>
            <span className={clsx("tabular-nums", j.counts.failed ? "text-red-800" : "text-slate-700")}>
              {finished(j.counts)}/{j.counts.total} · {j.counts.applied} applied · {j.counts.failed} failed
            </span>
          </div>
          <div className="min-w-0 break-words text-slate-700">
            {Object.entries(j.values).map(([k, v]) => `${paramLabel(k)} → ${formatValue(k, v)}`).join(", ")}
            {j.reason && <span className="block text-slate-600">Reason: {j.reason}</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}
