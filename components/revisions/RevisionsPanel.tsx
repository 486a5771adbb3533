"use client";
import Link from "next/link";
import { Fragment, useCallback, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DiffView, type Changes } from "./DiffView";
import { RestoreDialog } from "./RestoreDialog";
import { useApiData } from "./useApiData";

export interface RevisionSummary {
  id: number;
  at: string;
  actor: string;
  source: "push" | "sync" | "restore" | "adopt" | "job";
  deviceRevision: number | null;
  changes: Changes;
  jobId: string | null;
  note: string | null;
}

const SOURCE_LABEL: Record<RevisionSummary["source"], string> = { push: "Push", sync: "Read from device", restore: "Restore", adopt: "Adopt", job: "Bulk job" };

/**
 * The device's revision history: every successful push and sync. A row expands to its diff; admins can
 * restore a revision (a confirm dialog shows what would change first). `reloadKey` refetches after other pushes.
 */
export function RevisionsPanel({ deviceId, canRestore, reloadKey = 0, onRestored }: { deviceId: string; canRestore: boolean; reloadKey?: string | number; onRestored?: () => void }) {
  const base = `/api/v1/devices/${encodeURIComponent(deviceId)}`;
  const [open, setOpen] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<RevisionSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const { data: items, error } = useApiData<RevisionSummary[]>(`${base}/revisions`, `${reloadKey}/${reloads}`, "Loading the revisions failed");

  const restored = useCallback(
    (message: string) => {
      setRestoring(null);
      setNotice(message);
      setReloads((n) => n + 1);
      onRestored?.();
    },
    [onRestored],
  );

  return (
    <section aria-labelledby="revisions-title" className="flex flex-col gap-2" data-testid="revisions">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="revisions-title" className="text-base font-semibold text-slate-900">
          Revisions
        </h2>
        <Button size="sm" variant="ghost" onClick={() => setReloads((n) => n + 1)}>
          Refresh
        </Button>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success" testId="revisions-notice">{notice}</Alert>}</div>
      {error && <Alert testId="revisions-error">{error}</Alert>}
      {items && items.length === 0 && <p className="text-sm text-slate-600">No revisions yet: the first push or read from the device records one.</p>}
      {items && items.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">When</th>
                <th scope="col" className="px-3 py-2 font-medium">Who</th>
                <th scope="col" className="px-3 py-2 font-medium">Source</th>
                <th scope="col" className="px-3 py-2 font-medium">Device revision</th>
                <th scope="col" className="px-3 py-2 font-medium">Changes</th>
                <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const n = Object.keys(r.changes).length;
                const expanded = open === r.id;
                return (
                  <Fragment key={r.id}>
                    <tr className="border-t border-slate-100" data-testid={`revision-${r.id}`}>
                      <td className="px-3 py-2 whitespace-nowrap">{new Date(r.at).toLocaleString()}</td>
                      <td className="px-3 py-2">{r.actor}</td>
                      <td className="px-3 py-2">
                        <Badge tone={r.source === "restore" ? "amber" : "neutral"}>{SOURCE_LABEL[r.source] ?? r.source}</Badge>
                        {r.jobId && (
                          <Link href={`/jobs/${r.jobId}`} className="ml-2 text-blue-700 hover:underline">
                            job
                          </Link>
                        )}
                        {r.note && <span className="ml-2 text-xs text-slate-500">{r.note}</span>}
                      </td>
                      <td className="px-3 py-2">{r.deviceRevision ?? "—"}</td>
                      <td className="px-3 py-2">
                        <button
                          type="button"
                          aria-expanded={expanded}
                          aria-controls={`revision-diff-${r.id}`}
                          onClick={() => setOpen(expanded ? null : r.id)}
                          className="text-blue-700 hover:underline"
                        >
                          {n} {n === 1 ? "key" : "keys"} changed
                        </button>
                      </td>
                      <td className="px-3 py-2 text-right">
                        {canRestore && (
                          <Button size="sm" onClick={() => setRestoring(r)}>
                            Restore this revision
                          </Button>
                        )}
                      </td>
                    </tr>
                    {expanded && (
                      <tr id={`revision-diff-${r.id}`} className="bg-slate-50">
                        <td colSpan={6} className="px-3 py-2">
                          <DiffView changes={r.changes} caption={`Changes in revision ${r.id}`} testId="revision-diff" />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {restoring && <RestoreDialog base={base} revision={restoring} onClose={() => setRestoring(null)} onRestored={restored} />}
    </section>
  );
}
