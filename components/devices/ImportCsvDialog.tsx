"use client";
import Papa from "papaparse";
import { useId, useState, type ChangeEvent } from "react";
import { Alert } from "@/components/ui/Alert";
import { importResultSchema } from "@/components/api/schemas";
import { ApiError, apiFetch, type ApiErrorBody } from "@/components/ui/api-client";
import { DataTable, type ColumnDef } from "@/components/ui/DataTable";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";

type RowError = NonNullable<ApiErrorBody["rows"]>[number];
type Picked = { name: string; text: string; rows: number; columns: string[] };

const ROW_ERROR_COLUMNS: ColumnDef<RowError>[] = [
  { accessorKey: "row", header: "Row", meta: { className: "tabular-nums" } },
  { accessorKey: "field", header: "Field", meta: { className: "font-mono text-xs" } },
  { accessorKey: "message", header: "Message" },
];

/** Enough for a preview; the server parses and validates the file again and decides. */
function preview(name: string, text: string): Picked {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: "greedy" });
  return { name, text, rows: parsed.data.length, columns: parsed.meta.fields ?? [] };
}

export function ImportCsvDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (created: number) => void }) {
  const inputId = useId();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);

  function reset() {
    setPicked(null);
    setError(null);
    setRowErrors([]);
  }

  function close() {
    reset();
    onClose();
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    reset();
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      setPicked(preview(file.name, await file.text()));
    } catch {
      setError(`Could not read ${file.name}`);
    }
  }

  async function importFile() {
    if (!picked) return;
    setBusy(true);
    setError(null);
    setRowErrors([]);
    try {
      const result = await apiFetch("/api/v1/devices/import", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: picked.text,
        schema: importResultSchema,
      });
      reset();
      onImported(result.created);
    } catch (e) {
      if (e instanceof ApiError && e.body.rows?.length) {
        setError(`${e.body.message}. Fix the rows below and import the file again.`);
        setRowErrors(e.body.rows);
      } else {
        setError(e instanceof Error ? `Import failed: ${e.message}` : "Import failed");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={close} wide title="Import devices from CSV" description="One device per row. The whole file is imported, or nothing is.">
      <div className="flex flex-col gap-1">
        <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
          CSV file
        </label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          onChange={onFile}
          className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-50"
        />
        <p className="text-xs text-slate-500">
          Columns: <code>name,address,username,password,site,tags,driver,model,mac,sipAddress</code> (header row first; only name and address are required; several tags
          separated by <code>;</code>; driver <code>api</code>, <code>web</code> or <code>provisioning</code>, which needs the MAC; model <code>mt505</code> or{" "}
          <code>audiocodes-hd</code>). Export CSV writes the same format.
        </p>
      </div>
      {picked && (
        <p role="status" data-testid="import-preview" className="text-sm text-slate-800">
          {picked.rows === 1 ? "1 device" : `${picked.rows} devices`} in {picked.name}
          {picked.columns.length > 0 && <span className="text-slate-500"> — columns: {picked.columns.join(", ")}</span>}
        </p>
      )}
      {error && <Alert testId="import-error">{error}</Alert>}
      {rowErrors.length > 0 && <DataTable data={rowErrors} columns={ROW_ERROR_COLUMNS} label="Rows with errors" maxHeightClass="max-h-72" />}
      <div className="flex justify-end gap-2">
        <Button onClick={close}>Cancel</Button>
        <Button variant="primary" onClick={importFile} disabled={!picked || picked.rows === 0 || busy}>
          {picked && picked.rows > 0 ? `Import ${picked.rows === 1 ? "1 device" : `${picked.rows} devices`}` : "Import"}
        </Button>
      </div>
    </Dialog>
  );
}
