"use client";
import { displayValue, paramByKey, type ParamValue } from "@/lib/params";

export type Changes = Record<string, { from: unknown; to: unknown }>;

function show(key: string, v: unknown): string {
  const p = paramByKey(key);
  if (p?.secret) return v === null || v === undefined || v === "" ? "(not set)" : "(set)";
  if (!p) return v === null || v === undefined ? "—" : String(v);
  return displayValue(p, v as ParamValue | null | undefined);
}

/** before → after per parameter, labelled from the catalog (the raw key underneath), sorted by label. */
export function DiffView({ changes, testId, caption }: { changes: Changes; testId?: string; caption?: string }) {
  const rows = Object.entries(changes)
    .map(([key, d]) => ({ key, label: paramByKey(key)?.label ?? key, ...d }))
    .sort((a, b) => a.label.localeCompare(b.label));
  if (rows.length === 0) return <p className="text-sm text-slate-600">No parameter changed.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead className="text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">Parameter</th>
          <th scope="col" className="py-1 pr-3 font-medium">Before</th>
          <th scope="col" className="py-1 font-medium">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className="border-t border-slate-100 align-top">
            <th scope="row" className="py-1 pr-3 font-normal">
              <span className="text-slate-900">{r.label}</span>
              <span className="block font-mono text-xs text-slate-500">{r.key}</span>
            </th>
            <td className="py-1 pr-3">
              <del className="rounded bg-red-50 px-1 text-red-800 decoration-red-400">{show(r.key, r.from)}</del>
            </td>
            <td className="py-1">
              <ins className="rounded bg-green-50 px-1 text-green-800 no-underline">{show(r.key, r.to)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
