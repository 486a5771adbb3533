"use client";
import clsx from "clsx";
import Link from "next/link";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { OUTCOME_LABEL } from "@/lib/jobs/outcome";
import { formatValue, paramLabel } from "@/lib/params";
import { useJobs } from "./api";
import { OUTCOME_TONE } from "./JobView";
import { finished } from "./types";

/** /jobs: recent push jobs, newest first, one card each (stacks at 390 px). */
export function JobList() {
  const { data, error } = useJobs();
  const jobs = data?.items;
  if (error) return <Alert>{error.message || "Loading jobs failed"}</Alert>;
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
