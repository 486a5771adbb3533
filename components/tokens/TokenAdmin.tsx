"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useId, useMemo, useState } from "react";
import { useApiQuery, useInvalidate } from "@/components/api/query";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { ConfirmDeleteDialog } from "@/components/ui/ConfirmDeleteDialog";
import { actionsColumn, DataTable } from "@/components/ui/DataTable";
import { Field } from "@/components/ui/Field";
import { createdTokenSchema, tokenListSchema, type CreatedToken, type ListedToken } from "@/lib/auth/schemas";

type Created = CreatedToken;

const col = createColumnHelper<ListedToken>();
const TOKENS = "/api/v1/tokens";

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);

/** /tokens (admins): API tokens for scripts — create (the value is shown once), list, revoke. */
export function TokenAdmin() {
  const list = useApiQuery(TOKENS, tokenListSchema);
  const tokens = list.data?.tokens ?? null;
  const invalidate = useInvalidate();
  const load = () => invalidate(TOKENS);
  const [failure, setError] = useState<string | null>(null);
  const error = failure ?? (list.error ? `Could not load the tokens: ${list.error.message}` : null);
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ListedToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "write">("read");
  const [expires, setExpires] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const scopeId = useId();
  const columns = useMemo(
    () => [
      col.accessor("name", { header: "Name", meta: { className: "font-medium", rowHeader: true } }),
      col.accessor("scope", { header: "Scope", cell: (c) => <Badge tone={c.getValue() === "write" ? "blue" : "neutral"}>{c.getValue()}</Badge> }),
      col.accessor("owner", { header: "Created by" }),
      col.accessor("expiresAt", { header: "Expires", meta: { className: "whitespace-nowrap" }, cell: (c) => when(c.getValue(), "never") }),
      col.accessor("lastUsedAt", { header: "Last used", meta: { className: "whitespace-nowrap" }, cell: (c) => when(c.getValue(), "not yet") }),
      actionsColumn<ListedToken>((t) => (
        <Button size="sm" variant="danger" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
          Revoke
        </Button>
      )),
    ],
    [],
  );


  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setNotice(null);
    try {
      // A date field means "until the end of that day" in the admin's time zone.
      const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
      setCreated(await apiFetch(TOKENS, { method: "POST", json: { name, scope, expiresAt }, schema: createdTokenSchema }));
      setName("");
      setExpires("");
      void load();
    } catch (err) {
      if (err instanceof ApiError && err.body.fields) setFields(err.body.fields);
      else setError(err instanceof Error ? err.message : "Could not create the token");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="tokens-title" className="flex flex-col gap-4">
      <h1 id="tokens-title" className="text-xl font-semibold">
        API tokens
      </h1>
      <p className="max-w-2xl text-sm text-slate-700">
        For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A <strong>read</strong> token may only look; a <strong>write</strong> token acts as you. Changes
        made with a token are audited under its name. Revoking a token stops it at once.
      </p>
      {notice && (
        <Alert tone="success" testId="tokens-notice">
          {notice}
        </Alert>
      )}
      {error && <Alert testId="tokens-error">{error}</Alert>}
      {created && (
        <Alert tone="success" testId="token-created">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is not shown again.
          </p>
          <input readOnly aria-label="The new token" value={created.token} className="mt-2 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        </Alert>
      )}
      <form onSubmit={create} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label="New API token" noValidate>
        <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} maxLength={64} required className="min-w-48" />
        <div className="flex flex-col gap-1">
          <label htmlFor={scopeId} className="text-sm font-medium text-slate-800">
            Scope
          </label>
          <select id={scopeId} value={scope} onChange={(e) => setScope(e.target.value as "read" | "write")} aria-invalid={fields.scope ? true : undefined} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm">
            <option value="read">read (look only)</option>
            <option value="write">write (acts as you)</option>
          </select>
        </div>
        <Field label="Expires (optional)" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} error={fields.expiresAt} />
        <Button type="submit" variant="primary" disabled={busy}>
          Create token
        </Button>
      </form>
      {tokens && tokens.length === 0 && <p className="text-sm text-slate-600">No API tokens yet.</p>}
      {tokens && tokens.length > 0 && <DataTable data={tokens} columns={columns} label="API tokens" testId="tokens-table" stacked getRowId={(t) => t.id} rowProps={() => ({ "data-testid": "token-row" })} />}
      <ConfirmDeleteDialog
        open={revoking !== null}
        title="Revoke API token"
        confirmLabel="Revoke"
        url={revoking ? `${TOKENS}/${encodeURIComponent(revoking.id)}` : null}
        failure="Could not revoke the token"
        errorTestId="token-revoke-error"
        onClose={() => setRevoking(null)}
        onDeleted={() => {
          setNotice(`Token ${revoking?.name} revoked.`);
          setRevoking(null);
          void load();
        }}
      >
        <p>
          Scripts using <strong>{revoking?.name}</strong> stop working at once.
        </p>
      </ConfirmDeleteDialog>
    </section>
  );
}
