"use client";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { Preview, PreviewRow } from "@/components/api/schemas";
import { Badge } from "@/components/ui/Badge";
import { DataTable } from "@/components/ui/DataTable";
import { RawToggle } from "@/components/ui/RawToggle";
import { formatValue, paramLabel } from "@/lib/params";

export type { Preview, PreviewRow };

const TONE = { change: "blue", nochange: "neutral", invalid: "red", unread: "amber" } as const;
const TEXT = { change: "will change", nochange: "no change", invalid: "invalid — excluded", unread: "not read yet" } as const;

const columns = (showRaw: boolean): ColumnDef<PreviewRow>[] => [
  { accessorKey: "name", header: "Device", meta: { rowHeader: true, className: "font-medium" } },
  {
    id: "result",
    header: "Result",
    cell: ({ row: { original: r } }) => (
      <>
        <Badge tone={TONE[r.status]}>{TEXT[r.status]}</Badge>
        {r.unread && <p className="text-xs text-amber-800">The portal could not read this phone yet: the job reads it first and checks the change against what it holds</p>}
      </>
    ),
  },
  {
    id: "changes",
    header: "Changes / reasons",
    cell: ({ row: { original: r } }) => (
      <ul>
        {Object.entries(r.diff).map(([k, d]) => (
          <li key={k}>
            {paramLabel(k)}: <span>{formatValue(k, d.from)}</span> → <span className="font-semibold">{formatValue(k, d.to)}</span>
            {showRaw && (
              <span className="block font-mono text-xs text-slate-600">
                {k}: {JSON.stringify(d.from ?? null)} → {JSON.stringify(d.to ?? null)}
              </span>
            )}
          </li>
        ))}
        {Object.entries(r.errors ?? {}).map(([k, m]) => (
          <li key={k} className="text-red-700">
            {paramLabel(k)}: {m}
          </li>
        ))}
      </ul>
    ),
  },
];

/** Per-device diff (current → new) of the changed keys only; at most `limit` rows drawn (the CSV has them all). */
export function PreviewTable({ preview, limit = 500 }: { preview: Preview; limit?: number }) {
  const { counts } = preview;
  const [showRaw, setShowRaw] = useState(false);
  const cols = useMemo(() => columns(showRaw), [showRaw]);
  return (
    <section aria-labelledby="preview-title" className="flex flex-col gap-2">
      <h2 id="preview-title" className="text-lg font-semibold">
        Preview
      </h2>
      <p data-testid="preview-counts" className="text-sm">
        {counts.change} will change · {counts.nochange} unchanged · {counts.invalid} invalid (excluded){counts.unread ? ` · ${counts.unread} not read yet` : ""} · {counts.total} selected
      </p>
      <RawToggle on={showRaw} onChange={setShowRaw} />
      <DataTable
        data={preview.rows.slice(0, limit)}
        columns={cols}
        label="Preview of the changes per device"
        stacked
        maxHeightClass="max-h-96"
        getRowId={(r) => r.deviceId}
        footer={preview.rows.length > limit && <p className="p-2 text-xs text-slate-600">{preview.rows.length - limit} more devices in the CSV download.</p>}
      />
    </section>
  );
}
