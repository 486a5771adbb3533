"use client";
// Bulk edit of the proxy-related settings: tick the fields to change (the rest stay as each device has them),
// preview the per-device diff, then push as a durable job and follow it on /jobs/<id>.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { useBulkCommon } from "@/components/api/resources";
import { createdJobSchema, previewSchema, type CommonValue as Common, type Preview } from "@/components/api/schemas";
import { Alert } from "@/components/ui/Alert";
import { apiFetch, errorMessage } from "@/components/ui/api-client";
import { Button, buttonClass } from "@/components/ui/Button";
import { BULK_PARAMS, BULK_SECTIONS } from "@/lib/jobs/bulk-params";
import { checkParam, defaultFormValue, type ParamDef } from "@/lib/params";
import { BulkField } from "./BulkField";
import { PreviewTable } from "./PreviewTable";
import { describeSelection, selectionFromParams } from "./selection";

type FormValue = string | boolean;

const BULK_KEYS = BULK_PARAMS.map((p) => p.key);

/** The field's starting value: what the phones hold (the shared value, or the most common one when mixed), never a default. */
function formValueOf(p: ParamDef, c: Common | undefined): FormValue {
  const v = c?.common ? c.value : (c?.holders[0]?.value ?? null);
  if (v === null) return p.type === "boolean" ? false : "";
  return p.type === "boolean" ? v === 1 : String(v);
}

export function BulkEditor() {
  const router = useRouter();
  const params = useSearchParams();
  const selection = useMemo(() => selectionFromParams(new URLSearchParams(params.toString())), [params]);
  const commonQuery = useBulkCommon(selection, BULK_KEYS);
  const total = commonQuery.data?.total ?? null;
  const common = commonQuery.data?.values ?? {};
  const [change, setChange] = useState<Record<string, boolean>>({});
  // What the user typed per key; untouched keys show the selection's common value (or the default when mixed).
  const [typed, setTyped] = useState<Record<string, FormValue>>({});
  const values = useMemo(() => Object.fromEntries(BULK_PARAMS.map((p) => [p.key, typed[p.key] ?? formValueOf(p, commonQuery.data?.values[p.key])])), [typed, commonQuery.data]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Field rules of the catalog, per ticked field; cross-field rules are checked per device by the preview.
  const checked = useMemo(() => {
    const out: Record<string, string | number> = {};
    const errors: Record<string, string> = {};
    for (const p of BULK_PARAMS) {
      if (!change[p.key]) continue;
      const r = checkParam(p, values[p.key], "form");
      if (r.ok) out[p.key] = r.value;
      else errors[p.key] = r.message;
    }
    return { values: out, errors };
  }, [change, values]);
  const chosen = Object.keys(checked.values).length;
  const valid = chosen > 0 && Object.keys(checked.errors).length === 0;

  const edit = (fn: () => void) => {
    fn();
    setPreview(null); // A preview belongs to the values it was made for.
  };

  async function runPreview() {
    setBusy(true);
    setError(null);
    try {
      setPreview(await apiFetch("/api/v1/jobs/preview", { method: "POST", json: { selection, values: checked.values }, schema: previewSchema }));
    } catch (e) {
      setError(errorMessage(e, "Preview failed"));
    } finally {
      setBusy(false);
    }
  }

  async function downloadCsv() {
    const res = await fetch("/api/v1/jobs/preview.csv", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ selection, values: checked.values }) });
    if (!res.ok) return setError(`CSV download failed (${res.status})`);
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: "bulk-preview.csv" });
    a.click();
    URL.revokeObjectURL(url);
  }

  async function push() {
    setBusy(true);
    setError(null);
    try {
      const job = await apiFetch("/api/v1/jobs", { method: "POST", json: { selection, values: checked.values, reason }, schema: createdJobSchema });
      router.push(`/jobs/${job.id}`);
    } catch (e) {
      setError(errorMessage(e, "Creating the job failed"));
      setBusy(false);
    }
  }

  const pushCount = preview ? preview.counts.change + preview.counts.nochange + preview.counts.unread : 0;
  if (!selection) return <NoSelection />;
  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-2xl font-semibold">Bulk edit</h1>
        <p data-testid="bulk-selection" className="text-sm text-slate-600">
          {total === null ? "Loading the selection…" : `${total} device${total === 1 ? "" : "s"}: ${describeSelection(selection)}`}
        </p>
      </header>
      {commonQuery.error && <Alert testId="bulk-error">{errorMessage(commonQuery.error, "Loading the selection failed")}</Alert>}
      {commonQuery.data && commonQuery.data.unread.count > 0 && (
        <Alert tone="info" testId="bulk-unread" title={`${commonQuery.data.unread.count} selected phone${commonQuery.data.unread.count === 1 ? " has" : "s have"} not been read yet`}>
          <p>
            Left out of the values below: {commonQuery.data.unread.names.join(", ")}
            {commonQuery.data.unread.count > commonQuery.data.unread.names.length ? ", …" : ""}. A job reads each of them first and checks the change against what it holds.
          </p>
        </Alert>
      )}
      {error && <Alert testId="bulk-error">{error}</Alert>}
      <form onSubmit={(e) => e.preventDefault()} className="flex flex-col gap-4">
        {BULK_SECTIONS.map((s) => (
          <fieldset key={s.id} className="min-w-0 rounded-lg border border-slate-200 p-3">
            <legend className="px-1 font-semibold">{s.title}</legend>
            <div className="grid gap-1 md:grid-cols-2">
              {BULK_PARAMS.filter((p) => p.section === s.id).map((p) => (
                <BulkField
                  key={p.key}
                  param={p}
                  change={!!change[p.key]}
                  value={values[p.key] ?? defaultFormValue(p)}
                  common={common[p.key]}
                  error={checked.errors[p.key]}
                  onChange={(on) => edit(() => setChange((c) => ({ ...c, [p.key]: on })))}
                  onValue={(v) => edit(() => setTyped((x) => ({ ...x, [p.key]: v })))}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="primary" disabled={!valid || busy || !total} onClick={runPreview}>
            Preview changes
          </Button>
          <span className="text-sm text-slate-600">{chosen} setting{chosen === 1 ? "" : "s"} chosen</span>
        </div>
      </form>
      {preview && (
        <>
          <PreviewTable preview={preview} />
          <div className="flex flex-col gap-3">
            <Button className="self-start" onClick={downloadCsv}>
              Download preview (CSV)
            </Button>
            <label className="flex max-w-xl flex-col gap-1 text-sm font-medium">
              Reason
              <textarea className="rounded-md border border-slate-300 px-2 py-1.5 font-normal" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
            <Button variant="primary" className="self-start" disabled={busy || pushCount === 0} onClick={push}>
              Push to {pushCount} device{pushCount === 1 ? "" : "s"}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/** A bare /bulk: ask for a selection instead of guessing "every device". */
function NoSelection() {
  return (
    <section aria-labelledby="bulk-title" className="flex max-w-xl flex-col gap-3" data-testid="bulk-no-selection">
      <h1 id="bulk-title" className="text-2xl font-semibold">
        Bulk edit
      </h1>
      <p className="text-slate-700">No phones are selected. Choose the phones to change on the device list: tick them, or filter the list and select all that match.</p>
      <div className="flex flex-wrap gap-2">
        <Link href="/devices" className={buttonClass("primary")}>
          Choose phones on the device list
        </Link>
        <Link href="/bulk?all=1" className={buttonClass("secondary")}>
          Edit every device
        </Link>
      </div>
    </section>
  );
}
