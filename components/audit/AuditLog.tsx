"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useId, useMemo, useState, type FormEvent } from "react";
import { z } from "zod";
import { keepPreviousData } from "@tanstack/react-query";
import { useApiQuery } from "@/components/api/query";
import { Pagination } from "@/components/devices/Pagination";
import { Alert } from "@/components/ui/Alert";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DataTable } from "@/components/ui/DataTable";
import { SYSTEM_ACTOR, type AuditItem } from "@/lib/audit/types";
import { ACTION_FILTERS, actionLabel, resultOf } from "./actions";
import { AuditDetails } from "./AuditDetails";

export type { AuditItem };

const auditItemSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  jobEntries: z.number().int().optional(),
});
const auditPageSchema = z.object({ items: z.array(auditItemSchema), total: z.number().int() });
// Fails to compile when the server's AuditItem stops fitting the schema.
export type AuditReplyFits = [AuditItem] extends [z.input<typeof auditItemSchema>] ? true : never;
const fits: AuditReplyFits = true;
void fits;

type Filters = { actor: string; action: string; target: string; from: string; to: string };
const EMPTY: Filters = { actor: "", action: "", target: "", from: "", to: "" };

/** Date inputs are local calendar days: "from" starts the day, "to" ends it. */
function apiQuery(f: Filters, page: number, size: number): string {
  // A bulk job's per-device entries are grouped under its job.push entry (opened from there).
  const p = new URLSearchParams({ limit: String(size), offset: String((page - 1) * size), groupJobs: "1" });
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

/** Who did it; what the portal does by itself reads as the system, not as whoever was looking. */
function Actor({ actor }: { actor: string }) {
  if (actor !== SYSTEM_ACTOR) return <span>{actor}</span>;
  return (
    <span data-testid="system-actor" className="inline-flex items-center gap-1">
      <Badge tone="neutral">System</Badge>
      <span className="text-xs text-slate-600">the portal itself</span>
    </span>
  );
}

const col = createColumnHelper<AuditItem>();

function columns(open: Set<number>, toggle: (id: number) => void) {
  return [
    col.accessor("at", { header: "When", meta: { className: "whitespace-nowrap" }, cell: (c) => <time dateTime={c.getValue()}>{new Date(c.getValue()).toLocaleString()}</time> }),
    col.accessor("actor", { header: "Actor", cell: (c) => <Actor actor={c.getValue()} /> }),
    col.accessor("action", {
      header: "Action",
      cell: (c) => (
        <>
          <span className="block">{actionLabel(c.getValue())}</span>
          <span className="font-mono text-xs text-slate-600" data-testid="audit-action">{c.getValue()}</span>
        </>
      ),
    }),
    col.display({ id: "target", header: "Target", cell: (c) => <Target item={c.row.original} /> }),
    col.display({
      id: "result",
      header: "Result",
      cell: (c) => {
        const failed = resultOf(c.row.original.action, c.row.original.details) === "failed";
        return <Badge tone={failed ? "red" : "green"}>{failed ? "Failed" : "OK"}</Badge>;
      },
    }),
    col.display({
      id: "details",
      header: () => <span className="sr-only">Details</span>,
      meta: { label: "", className: "text-right" },
      cell: (c) => {
        const item = c.row.original;
        const expanded = open.has(item.id);
        return (
          <Button size="sm" variant="ghost" aria-expanded={expanded} aria-controls={`audit-detail-${item.id}`} onClick={() => toggle(item.id)}>
            {expanded ? "Hide details" : item.jobEntries ? `Details and ${item.jobEntries} device entries` : "Details"}
          </Button>
        );
      },
    }),
  ];
}

/** The per-device entries one bulk job wrote (pushes, failures), shown under its job.push entry. */
function JobEntries({ jobId, count }: { jobId: string; count: number }) {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(25);
  const q = useApiQuery(`/api/v1/audit?job=${encodeURIComponent(jobId)}&limit=${size}&offset=${(page - 1) * size}`, auditPageSchema);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id])));
  const cols = useMemo(() => columns(open, toggle), [open]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section aria-label={`Device entries of job ${jobId.slice(0, 8)}`} className="flex flex-col gap-2" data-testid="job-entries">
      <h3 className="text-sm font-semibold text-slate-800">{count} device entries of this job</h3>
      {q.error && <Alert>{q.error.message}</Alert>}
      {q.data && (
        <>
          <DataTable
            data={q.data.items}
            columns={cols}
            label={`Device entries of job ${jobId.slice(0, 8)}`}
            stacked
            getRowId={(i) => String(i.id)}
            rowProps={() => ({ "data-testid": "job-entry" })}
            detailId={(i) => `audit-detail-${i.id}`}
            renderDetail={(i) => (open.has(i.id) ? <AuditDetails details={i.details} /> : null)}
          />
          {q.data.total > size && <Pagination page={page} size={size} total={q.data.total} onPage={setPage} onSize={(n) => { setSize(n); setPage(1); }} />}
        </>
      )}
    </section>
  );
}

/** The audit log: filters (actor, action, target, date range) applied on submit, server-side paging, expandable details. */
export function AuditLog() {
  const ids = { actor: useId(), action: useId(), target: useId(), from: useId(), to: useId() };
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(50);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id])));
  const cols = useMemo(() => columns(open, toggle), [open]); // eslint-disable-line react-hooks/exhaustive-deps
  const q = useApiQuery(`/api/v1/audit?${apiQuery(filters, page, size)}`, auditPageSchema, { placeholderData: keepPreviousData });
  const data = q.data;
  const error = q.error ? q.error.message || "Loading the audit log failed" : null;

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
          <DataTable
            data={data.items}
            columns={cols}
            label="Audit log"
            testId="audit-table"
            stacked
            busy={q.isPlaceholderData}
            getRowId={(i) => String(i.id)}
            rowProps={() => ({ "data-testid": "audit-row" })}
            detailId={(i) => `audit-detail-${i.id}`}
            renderDetail={(i) =>
              open.has(i.id) ? (
                <div className="flex flex-col gap-4">
                  <AuditDetails details={i.details} />
                  {i.jobEntries ? <JobEntries jobId={i.targetId!} count={i.jobEntries} /> : null}
                </div>
              ) : null
            }
            footer={data.items.length === 0 ? <p className="px-3 py-4 text-center text-slate-600">No entries match these filters.</p> : undefined}
          />
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
