"use client";
// Settings › Registrars: the registrars whose bindings the portal reads, each with its last read, an add form
// (the server's zod schema in the browser too) and removal. Admins change; viewers look.
import { zodResolver } from "@hookform/resolvers/zod";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { z } from "zod";
import { useApiQuery, useInvalidate } from "@/components/api/query";
import { useForm } from "react-hook-form";
import { RelativeTime } from "@/components/status/StatusBadge";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { ConfirmDeleteDialog } from "@/components/ui/ConfirmDeleteDialog";
import { actionsColumn, DataTable } from "@/components/ui/DataTable";
import { Field } from "@/components/ui/Field";
import { REGISTRAR_KINDS, registrarInputSchema, registrarSchema, type RegistrarView } from "@/lib/registrars/model";
import { Panel } from "@/components/ui/Panel";

const col = createColumnHelper<RegistrarView>();

type Values = z.input<typeof registrarInputSchema>;
const URL_BASE = "/api/v1/registrars";

function AddRegistrarForm({ onAdded }: { onAdded: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const { register, handleSubmit, reset, setError, formState } = useForm<Values>({ resolver: zodResolver(registrarInputSchema), defaultValues: { name: "", kind: "kamailio", url: "" } });
  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await apiFetch(URL_BASE, { method: "POST", json: values });
      reset();
      onAdded();
    } catch (e) {
      const fields = e instanceof ApiError ? e.body.fields : undefined;
      if (fields) for (const [k, m] of Object.entries(fields)) setError(k as keyof Values, { type: "server", message: m });
      else setFailure(e instanceof Error ? e.message : "Adding the registrar failed");
    }
  });
  const e = formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-[1fr_10rem_2fr_auto] sm:items-start" aria-label="Add registrar">
      <Field label="Name" {...register("name")} error={e.name?.message} placeholder="core-1" />
      <div className="flex flex-col gap-1">
        <label htmlFor="registrar-kind" className="text-sm font-medium text-slate-800">
          Kind
        </label>
        <select id="registrar-kind" {...register("kind")} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm">
          {REGISTRAR_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === "kamailio" ? "Kamailio (JSON-RPC)" : k}
            </option>
          ))}
        </select>
      </div>
      <Field label="URL" {...register("url")} error={e.url?.message} placeholder="http://10.0.0.5:5071/RPC" hint="Kamailio: the jsonrpcs endpoint served by xhttp" />
      <Button type="submit" variant="primary" disabled={formState.isSubmitting} className="sm:mt-6">
        Add registrar
      </Button>
      {failure && (
        <div className="sm:col-span-4">
          <Alert testId="registrar-add-error">{failure}</Alert>
        </div>
      )}
    </form>
  );
}

export function RegistrarSettings({ isAdmin }: { isAdmin: boolean }) {
  // Each registrar's last read changes every REGISTRAR_POLL_INTERVAL_S: refetch on that cadence.
  const query = useApiQuery(URL_BASE, z.array(registrarSchema), { refetchInterval: 10_000 });
  const invalidate = useInvalidate();
  const load = () => void invalidate(URL_BASE);
  const rows = query.data ?? null;
  const error = query.error?.message ?? null;
  const [removing, setRemoving] = useState<RegistrarView | null>(null);
  const columns = useMemo(
    () => [
      col.accessor("name", {
        header: "Name",
        meta: { className: "font-medium", rowHeader: true },
        cell: ({ row: { original: r } }) => (
          <>
            {r.name} <span className="text-xs font-normal text-slate-500">{r.kind}</span>
          </>
        ),
      }),
      col.accessor("url", { header: "URL", meta: { className: "font-mono text-xs break-all" } }),
      col.display({
        id: "lastRead",
        header: "Last read",
        cell: ({ row: { original: r } }) => (r.lastError ? <span className="text-red-700">failed: {r.lastError}</span> : r.checkedAt ? <RelativeTime iso={r.checkedAt} /> : "not yet"),
      }),
      col.display({ id: "bindings", header: "Bindings", cell: ({ row: { original: r } }) => (r.contacts === null ? "—" : `${r.contacts} (${r.matched} matched to phones)`) }),
      actionsColumn<RegistrarView>((r) => (
        <Button size="sm" variant="ghost" onClick={() => setRemoving(r)} aria-label={`Remove registrar ${r.name}`}>
          Remove
        </Button>
      )),
    ],
    [],
  );

  return (
    <Panel title="Registrars" description="The portal reads every binding these registrars hold and matches them to phones (SIP user, contact address) — so it knows where a phone is registered even when it cannot reach the phone itself.">
      {error && <Alert>Could not load the registrars: {error}</Alert>}
      {rows && rows.length === 0 && <p className="text-sm text-slate-500">No registrar configured.</p>}
      {rows && rows.length > 0 && <DataTable data={rows} columns={columns} label="Registrars" look="plain" stacked getRowId={(r) => r.id} columnVisibility={{ actions: isAdmin }} />}
      {isAdmin && <AddRegistrarForm onAdded={load} />}
      <ConfirmDeleteDialog
        open={removing !== null}
        title="Remove registrar"
        confirmLabel="Remove registrar"
        url={removing ? `${URL_BASE}/${encodeURIComponent(removing.id)}` : null}
        failure="Could not remove the registrar"
        errorTestId="registrar-remove-error"
        onClose={() => setRemoving(null)}
        onDeleted={() => {
          setRemoving(null);
          load();
        }}
      >
        <p className="text-sm">The portal stops reading {removing?.name}; phones keep their status from their own reports.</p>
      </ConfirmDeleteDialog>
    </Panel>
  );
}
