"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { finished, type Job } from "./types";

/** /jobs: recent push jobs, newest first. */
export function JobList() {
  const [jobs, setJobs] = useState<Omit<Job, "targets">[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    apiFetch<{ items: Omit<Job, "targets">[] }>("/api/v1/jobs")
      .then((r) => setJobs(r.items))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : "Loading jobs failed"));
  }, []);
  if (error) return <Alert>{error}</Alert>;
  if (!jobs) return <p>Loading jobs…</p>;
  if (!jobs.length) return <p>No push jobs yet. Start one from the device list with “Bulk edit”.</p>;
  return (
    <table className="w-full text-sm">
      <thead className="bg-slate-50 text-left">
        <tr>
          <th className="px-3 py-2">Created</th>
          <th className="px-3 py-2">By</th>
          <th className="px-3 py-2">State</th>
          <th className="px-3 py-2">Progress</th>
          <th className="px-3 py-2">Reason</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} className="border-t border-slate-100">
            <td className="px-3 py-1.5">
              <Link className="text-blue-800 hover:underline" href={`/jobs/${j.id}`}>
                {new Date(j.createdAt).toLocaleString()}
              </Link>
            </td>
            <td className="px-3 py-1.5">{j.createdBy}</td>
            <td className="px-3 py-1.5">{j.state}</td>
            <td className="px-3 py-1.5">
              {finished(j.counts)}/{j.counts.total} ({j.counts.applied} applied, {j.counts.failed} failed)
            </td>
            <td className="px-3 py-1.5">{j.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
