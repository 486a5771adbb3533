"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { useInvalidate } from "@/components/api/query";
import { urls, useRevisions } from "@/components/api/resources";
import type { RevisionSummary } from "@/components/api/schemas";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DataTable } from "@/components/ui/DataTable";
import { DiffView } from "./DiffView";
import { RestoreDialog } from "./RestoreDialog";

export type { RevisionSummary };

const SOURCE_LABEL: Record<string, string> = { push: "Push", sync: "Read from device", restore: "Restore", adopt: "Adopt", job: "Bulk job" };
const col = createColumnHelper<RevisionSummary>();

/**
 * The device's revision history: every successful push and sync. A row expands to its diff; admins can
 * restore a revision (a confirm dialog shows what would change first). Pushes elsewhere on the page invalidate
 * the revisions URL, so the list follows without a reload counter.
 */
export function RevisionsPanel({ deviceId, canRestore, onRestored }: { deviceId: string; canRestore: boolean; onRestored?: () => void }) {
  const [open, setOpen] = useState<number | null>(null);
  const [restoring, setRestoring] = useState<RevisionSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const revisions = useRevisions(deviceId);
  const invalidate = useInvalidate();
  const items = revisions.data ?? null;

  const restored = useCallback(
    (message: string) => {
      setRestoring(null);
      setNotice(message);
      void invalidate(urls.device(deviceId));
      onRestored?.();
    },
    [deviceId, invalidate, onRestored],
  );

  const columns = useMemo(
    () => [
      col.accessor("at", { header: "When", meta: { className: "whitespace-nowrap" }, cell: (c) => new Date(c.getValue()).toLocaleString() }),
      col.accessor("actor", { header: "Who" }),
      col.accessor("source", {
        header: "Source",
        cell: ({ row: { original: r } }) => (
          <>
            <Badge tone={r.source === "restore" ? "amber" : "neutral"}>{SOURCE_LABEL[r.source] ?? r.source}</Badge>
            {r.jobId && (
              <Link href={`/jobs/${r.jobId}`} className="ml-2 text-blue-700 underline">
                job
              </Link>
            )}
            {r.note && <span className="ml-2 text-xs text-slate-600">{r.note}</span>}
          </>
        ),
      }),
      col.accessor("deviceRevision", { header: "Device revision", cell: (c) => c.getValue() ?? "—" }),
      col.accessor("changes", {
        header: "Changes",
        cell: ({ row: { original: r } }) => {
          const n = Object.keys(r.changes).length;
          const expanded = open === r.id;
          return (
            <button type="button" aria-expanded={expanded} aria-controls={`revision-diff-${r.id}`} onClick={() => setOpen(expanded ? null : r.id)} className="text-blue-700 hover:underline">
              {n} {n === 1 ? "key" : "keys"} changed
            </button>
          );
        },
      }),
      col.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        meta: { className: "text-right max-sm:text-left" },
        cell: ({ row: { original: r } }) =>
          canRestore && (
            <Button size="sm" onClick={() => setRestoring(r)}>
              Restore this revision
            </Button>
          ),
      }),
    ],
    [canRestore, open],
  );

  return (
    <section aria-labelledby="revisions-title" className="flex flex-col gap-2" data-testid="revisions">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="revisions-title" className="text-base font-semibold text-slate-900">
          Revisions
        </h2>
        <Button size="sm" variant="ghost" onClick={() => void revisions.refetch()}>
          Refresh
        </Button>
      </div>
      <div aria-live="polite">{notice && <Alert tone="success" testId="revisions-notice">{notice}</Alert>}</div>
      {revisions.error && <Alert testId="revisions-error">{revisions.error.message}</Alert>}
      {items && items.length === 0 && <p className="text-sm text-slate-600">No revisions yet: the first push or read from the device records one.</p>}
      {items && items.length > 0 && (
        <DataTable
          data={items}
          columns={columns}
          label="Revisions"
          stacked
          getRowId={(r) => String(r.id)}
          rowProps={(r) => ({ "data-testid": `revision-${r.id}` })}
          detailId={(r) => `revision-diff-${r.id}`}
          renderDetail={(r) => (open === r.id ? <DiffView changes={r.changes} caption={`Changes in revision ${r.id}`} testId="revision-diff" /> : null)}
        />
      )}
      {restoring && <RestoreDialog deviceId={deviceId} revision={restoring} onClose={() => setRestoring(null)} onRestored={restored} />}
    </section>
  );
}
