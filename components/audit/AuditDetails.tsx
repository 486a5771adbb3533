"use client";
// An audit entry's details as people read them: before/after as a table of labelled, formatted values (the
// catalog's labels and units; inventory fields by name), the other facts as a list, the raw JSON on demand.
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/DataTable";
import { formatValue, paramLabel } from "@/lib/params";

type Change = { key: string; before: unknown; after: unknown; hasBefore: boolean; hasAfter: boolean };
const col = createColumnHelper<Change>();
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const COLUMNS = [
  col.accessor("key", {
    header: "Field",
    meta: { rowHeader: true },
    cell: (c) => (
      <>
        <span className="text-slate-900">{paramLabel(c.getValue())}</span>
        {paramLabel(c.getValue()) !== c.getValue() && <span className="block font-mono text-xs break-all text-slate-600">{c.getValue()}</span>}
      </>
    ),
  }),
  col.accessor("before", { header: "Before", cell: (c) => (c.row.original.hasBefore ? <del className="rounded bg-red-50 px-1 text-red-800 decoration-red-400">{formatValue(c.row.original.key, c.getValue())}</del> : <span className="text-slate-600">—</span>) }),
  col.accessor("after", { header: "After", cell: (c) => (c.row.original.hasAfter ? <ins className="rounded bg-green-50 px-1 text-green-800 no-underline">{formatValue(c.row.original.key, c.getValue())}</ins> : <span className="text-slate-600">—</span>) }),
];

/** "deviceRevision" → "Device revision". */
function words(k: string): string {
  const s = k.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A fact's value: lists of device keys read as their labels; nested results as "applied 3 · failed 1". */
function factText(key: string, v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === "string" ? paramLabel(x) : formatValue(key, x))).join(", ") : "(none)";
  if (isRecord(v)) {
    if (isRecord(v.counts)) return Object.entries(v.counts).filter(([k, n]) => k !== "total" && n).map(([k, n]) => `${n} ${k}`).join(" · ") || "nothing yet";
    return Object.entries(v).map(([k, x]) => `${paramLabel(k)}: ${formatValue(k, x)}`).join("; ");
  }
  return formatValue(key, v);
}

export function AuditDetails({ details }: { details: Record<string, unknown> | null }) {
  if (!details) return <p className="text-sm text-slate-600">No details recorded.</p>;
  const { before, after, ...rest } = details;
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: Change[] = keys.map((key) => ({ key, before: b[key], after: a[key], hasBefore: key in b, hasAfter: key in a }));
  const facts = Object.entries(rest).filter(([, v]) => v !== null && v !== undefined);
  return (
    <div className="flex flex-col gap-3" data-testid="audit-details">
      {changes.length > 0 && <DataTable data={changes} columns={COLUMNS} label="Before and after" look="plain" stacked getRowId={(c) => c.key} testId="audit-changes" />}
      {facts.length > 0 && (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_minmax(0,1fr)]">
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-slate-700">{words(k)}</dt>
              <dd className="break-words text-slate-900">{factText(k, v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <details>
        <summary className="cursor-pointer text-xs text-slate-600">Raw JSON</summary>
        <pre className="mt-1 rounded bg-white p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-800">{JSON.stringify(details, null, 2)}</pre>
      </details>
    </div>
  );
}
