"use client";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { Changes } from "@/components/api/schemas";
import { DataTable } from "@/components/ui/DataTable";
import { RawToggle } from "@/components/ui/RawToggle";
import { formatValue, paramLabel } from "@/lib/params";

export type { Changes };

type DiffRow = { key: string; label: string; from: unknown; to: unknown };

const raw = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

const MARK = {
  from: (text: string) => <del className="rounded bg-red-50 px-1 text-red-800 decoration-red-400">{text}</del>,
  to: (text: string) => <ins className="rounded bg-green-50 px-1 text-green-800 no-underline">{text}</ins>,
};

function valueColumn(side: "from" | "to", header: string, showRaw: boolean): ColumnDef<DiffRow> {
  return {
    id: side,
    header,
    cell: ({ row: { original: r } }) => (
      <>
        {MARK[side](formatValue(r.key, r[side]))}
        {showRaw && <span className="block font-mono text-xs text-slate-600">{raw(r[side])}</span>}
      </>
    ),
  };
}

function columns(headings: { from: string; to: string }, showRaw: boolean): ColumnDef<DiffRow>[] {
  return [
    {
      accessorKey: "label",
      header: "Parameter",
      meta: { rowHeader: true },
      cell: ({ row: { original: r } }) => (
        <>
          <span className="text-slate-900">{r.label}</span>
          {showRaw && <span className="block font-mono text-xs text-slate-600">{r.key}</span>}
        </>
      ),
    },
    valueColumn("from", headings.from, showRaw),
    valueColumn("to", headings.to, showRaw),
  ];
}

/**
 * before → after per parameter, as people read them (labels, On/Off, option names, units), sorted by label;
 * "Show raw values" adds the device key and the stored value under each.
 */
export function DiffView({
  changes,
  testId,
  caption,
  headings = { from: "Before", to: "After" },
}: {
  changes: Changes;
  testId?: string;
  caption?: string;
  headings?: { from: string; to: string };
}) {
  const [showRaw, setShowRaw] = useState(false);
  const rows = Object.entries(changes)
    .map(([key, d]) => ({ key, label: paramLabel(key), from: d.from, to: d.to }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const cols = useMemo(() => columns(headings, showRaw), [headings, showRaw]);
  if (rows.length === 0) return <p className="text-sm text-slate-600">No parameter changed.</p>;
  return (
    <div className="flex flex-col gap-1">
      <DataTable data={rows} columns={cols} look="plain" stacked label={caption ?? "Changes"} testId={testId} getRowId={(r) => r.key} />
      <RawToggle on={showRaw} onChange={setShowRaw} />
    </div>
  );
}
