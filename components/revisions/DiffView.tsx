"use client";
import type { ColumnDef } from "@tanstack/react-table";
import type { Changes } from "@/components/api/schemas";
import { DataTable } from "@/components/ui/DataTable";
import { displayValue, paramByKey, type ParamValue } from "@/lib/params";

export type { Changes };

function show(key: string, v: unknown): string {
  const p = paramByKey(key);
  if (p?.secret) return v === null || v === undefined || v === "" ? "(not set)" : "(set)";
  if (!p) return v === null || v === undefined ? "—" : String(v);
  return displayValue(p, v as ParamValue | null | undefined);
}

type DiffRow = { key: string; label: string; from: unknown; to: unknown };

const COLUMNS: ColumnDef<DiffRow>[] = [
  {
    accessorKey: "label",
    header: "Parameter",
    meta: { rowHeader: true },
    cell: ({ row: { original: r } }) => (
      <>
        <span className="text-slate-900">{r.label}</span>
        <span className="block font-mono text-xs text-slate-600">{r.key}</span>
      </>
    ),
  },
  { id: "from", header: "Before", cell: ({ row: { original: r } }) => <del className="rounded bg-red-50 px-1 text-red-800 decoration-red-400">{show(r.key, r.from)}</del> },
  { id: "to", header: "After", cell: ({ row: { original: r } }) => <ins className="rounded bg-green-50 px-1 text-green-800 no-underline">{show(r.key, r.to)}</ins> },
];

/** before → after per parameter, labelled from the catalog (the raw key underneath), sorted by label. */
export function DiffView({ changes, testId, caption }: { changes: Changes; testId?: string; caption?: string }) {
  const rows = Object.entries(changes)
    .map(([key, d]) => ({ key, label: paramByKey(key)?.label ?? key, from: d.from, to: d.to }))
    .sort((a, b) => a.label.localeCompare(b.label));
  if (rows.length === 0) return <p className="text-sm text-slate-600">No parameter changed.</p>;
  return <DataTable data={rows} columns={COLUMNS} look="plain" stacked label={caption ?? "Changes"} testId={testId} getRowId={(r) => r.key} />;
}
