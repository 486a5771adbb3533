"use client";
import Link from "next/link";
import { Fragment, useId, useState, type FormEvent } from "react";
import { Pagination } from "@/components/devices/Pagination";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { useApiData } from "@/components/revisions/useApiData";
import type { AuditItem } from "@/lib/audit/types";
import { ACTION_FILTERS, resultOf } from "./actions";

export type { AuditItem };

type Filters = { actor: string; action: string; target: string; from: string; to: string };
const EMPTY: Filters = { actor: "", action: "", target: "", from: "", to: "" };

/** Date inputs are local calendar days: "from" starts the day, "to" ends it. */
function apiQuery(f: Filters, page: number, size: number): string {
  const p = new URLSearchParams({ limit: String(size), offset: String((page - 1) * size) });
  if (f.actor.trim()) p.set("actor", f.actor.trim());
  if (f.action) p.set("action", f.action);
  if (f.target.trim()) p.set("target", f.target.trim());
  if (f.from) p.set("from", new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) p.set("to", new Date(`${f.to}T23:59:59.999`).toISOString());
  return p.toString();
}

function Target({ item }: { item: AuditItem }) {
  if (!item.targetType) return <span className="text-slate-400">—</span>;
  if (item.targetType === "device" && item.targetId) {
    return item.targetName ? (
      <Link href={`/devices/${item.targetId}`} className="text-blue-700 hover:underline">
        {item.targetName}
      </Link>
    ) : (
      <span className="font-mono text-xs" title="Removed device">device {item.targetId.slice(0, 8)}</span>
    );
  }
  if (item.targetType === "job" && item.targetId) {
    return (
      <Link href={`/jobs/${item.targetId}`} className="text-blue-700 hover:underline">
        job {item.targetId.slice(0, 8)}
      </Link>
    );
  }
  return <span>{item.targetType}{item.targetId ? ` ${item.targetId.slice(0, 8)}` : ""}</span>;
}

function Details({ details }: { details: Record<string, unknown> | null }) {
  if (!details) return <p className="text-sm text-slate-600">No details recorded.</p>;
  const { before, after, ...rest } = details;
  const block = (title: string, v: unknown) => (
    <div className="min-w-0 flex-1">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <pre className="mt-1 overflow-x-auto rounded bg-white p-2 font-mono text-xs text-slate-800">{JSON.stringify(v, null, 2)}</pre>
    </div>
  );
  return (
    <div className="flex flex-col gap-2 sm:flex-row">
      {before !== undefined && block("Before", before)}
      {after !== undefined && block("After", after)}
      {Object.keys(rest).length > 0 && block(before !== undefined || after !== undefined ? "Result and details" : "Details", rest)}
    </div>
  );
}

/** The audit log: filters (actor, action, target, date range) applied on submit, server-side paging, expandable details. */
export function AuditLog() {
  const ids = { actor: useId(), action: useId(), target: useId(), from: useId(), to: useId() };
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const [open, setOpen] = useState<number | null>(null);
  const { data, error } = useApiData<{ items: AuditItem[]; total: number }>(`/api/v1/audit?${apiQuery(filters, page, size)}`, null, "Loading the audit log failed");

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
    setPage(1);
  }

  const input = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:outline-2 focus:outline-blue-600";
  const field = (key: keyof Filters, label: string, props: Record<string, string> = {}) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={ids[key]} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <input id={ids[key]} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} className={input} {...props} />
    </div>
  );

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold text-slate-900">Audit log</h1>
      <form onSubmit={apply} role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
        {field("actor", "Actor", { placeholder: "username" })}
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.action} className="text-xs font-medium text-slate-600">
            Action
          </label>
          <select id={ids.action} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} className={input}>
            {ACTION_FILTERS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        {field("target", "Target", { placeholder: "device name or id" })}
        {field("from", "From", { type: "date" })}
        {field("to", "To", { type: "date" })}
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setDraft(EMPTY);
            setFilters(EMPTY);
            setPage(1);
          }}
        >
          Clear
        </Button>
      </form>
      {error && <Alert testId="audit-error">{error}</Alert>}
      {!data && !error && <p role="status" className="text-sm text-slate-600">Loading the audit log…</p>}
      {data && (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">When</th>
                  <th scope="col" className="px-3 py-2 font-medium">Actor</th>
                  <th scope="col" className="px-3 py-2 font-medium">Action</th>
                  <th scope="col" className="px-3 py-2 font-medium">Target</th>
                  <th scope="col" className="px-3 py-2 font-medium">Result</th>
                  <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && (
                  <tr>
                    <td colSpan={6} className="px-3 py-4 text-center text-slate-600">
                      No entries match these filters.
                    </td>
                  </tr>
                )}
                {data.items.map((item) => {
                  const expanded = open === item.id;
                  const result = resultOf(item.action, item.details);
                  return (
                    <Fragment key={item.id}>
                      <tr className="border-t border-slate-100" data-testid="audit-row">
                        <td className="px-3 py-2 whitespace-nowrap">{new Date(item.at).toLocaleString()}</td>
                        <td className="px-3 py-2">{item.actor}</td>
                        <td className="px-3 py-2 font-mono text-xs" data-testid="audit-action">{item.action}</td>
                        <td className="px-3 py-2"><Target item={item} /></td>
                        <td className="px-3 py-2">
                          <Badge tone={result === "failed" ? "red" : "green"}>{result === "failed" ? "Failed" : "OK"}</Badge>
                        </td>
                        <td className="px-3 py-2 text-right">
                          <Button size="sm" variant="ghost" aria-expanded={expanded} onClick={() => setOpen(expanded ? null : item.id)}>
                            {expanded ? "Hide details" : "Details"}
                          </Button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr className="bg-slate-50">
                          <td colSpan={6} className="px-3 py-2">
                            <Details details={item.details} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pagination
            page={page}
            size={size}
            total={data.total}
            onPage={setPage}
            onSize={(s) => {
              setSize(s);
              setPage(1);
            }}
          />
        </>
      )}
    </div>
  );
}
