"use client";
// Settings › Alerts: where alerts go (webhooks, e-mail recipients, each with an optional rule), the delivery log,
// and maintenance per site. Forms validate with the server's own zod schemas; server field errors land on fields.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useApiQuery, useInvalidate } from "@/components/api/query";
import { useForm, type FieldValues, type Path, type UseFormSetError } from "react-hook-form";
import { z } from "zod";
import { RelativeTime } from "@/components/status/StatusBadge";
import { Alert } from "@/components/ui/Alert";
import { ApiError, apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { channelSchema, deliverySchema, emailInputSchema, siteMaintenanceResultSchema, webhookInputSchema, type ChannelView } from "@/lib/alerts/model";
import { Panel } from "@/components/ui/Panel";

const URLS = { webhooks: "/api/v1/alerts/webhooks", emails: "/api/v1/alerts/emails", deliveries: "/api/v1/alerts/deliveries?limit=50" } as const;

function serverErrors<T extends FieldValues>(e: unknown, setError: UseFormSetError<T>): string | null {
  const fields = e instanceof ApiError ? e.body.fields : undefined;
  if (!fields) return e instanceof Error ? e.message : "Saving failed";
  for (const [k, m] of Object.entries(fields)) setError(k.split(".")[0] as Path<T>, { type: "server", message: m });
  return null;
}

// The forms take events as a comma-separated list; the schema checks each name.
const eventsText = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean));
const webhookForm = webhookInputSchema.extend({ events: eventsText, secret: z.string().optional().transform((v) => v || undefined).pipe(webhookInputSchema.shape.secret) });
const emailForm = emailInputSchema.extend({ events: eventsText });

function ChannelForm({ kind, onAdded }: { kind: "webhook" | "email"; onAdded: () => void }) {
  const schema = kind === "webhook" ? webhookForm : emailForm;
  type V = { url?: string; to?: string; secret?: string; events?: string; site?: string; tag?: string };
  const { register, handleSubmit, reset, setError, formState } = useForm<V>({ resolver: zodResolver(schema as unknown as z.ZodType<V, V>) });
  const [failure, setFailure] = useState<string | null>(null);
  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await apiFetch(`/api/v1/alerts/${kind === "webhook" ? "webhooks" : "emails"}`, { method: "POST", json: values });
      reset();
      onAdded();
    } catch (e) {
      setFailure(serverErrors(e, setError));
    }
  });
  const e = formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={kind === "webhook" ? "Add webhook" : "Add e-mail recipient"} className="grid gap-3 sm:grid-cols-2">
      {kind === "webhook" ? (
        <>
          <Field label="Webhook URL" {...register("url")} error={e.url?.message} placeholder="https://hooks.example.com/sip" />
          <Field label="Secret (optional)" type="password" autoComplete="new-password" {...register("secret")} error={e.secret?.message} hint="Signs each delivery (X-Portal-Signature, HMAC-SHA256)" />
        </>
      ) : (
        <Field label="E-mail address" type="email" {...register("to")} error={e.to?.message} placeholder="noc@example.com" />
      )}
      <Field label="Events (optional)" {...register("events")} error={e.events?.message} hint="Comma-separated, e.g. proxy.down, device.failed_over; empty = all" />
      <Field label="Only site (optional)" {...register("site")} error={e.site?.message} />
      <Field label="Only tag (optional)" {...register("tag")} error={e.tag?.message} />
      <div className="sm:col-span-2">
        <Button type="submit" variant="primary" disabled={formState.isSubmitting}>
          {kind === "webhook" ? "Add webhook" : "Add recipient"}
        </Button>
      </div>
      {failure && (
        <div className="sm:col-span-2">
          <Alert testId={`${kind}-add-error`}>{failure}</Alert>
        </div>
      )}
    </form>
  );
}

function rule(c: ChannelView): string {
  const parts = [c.events.length ? c.events.join(", ") : "all events", c.site ? `site ${c.site}` : "", c.tag ? `tag ${c.tag}` : ""];
  return parts.filter(Boolean).join(" · ");
}

function SiteMaintenanceForm() {
  const [site, setSite] = useState("");
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const send = async (maintenance: boolean) => {
    setMessage(null);
    try {
      const r = await apiFetch("/api/v1/maintenance", { method: "POST", json: { site, maintenance }, schema: siteMaintenanceResultSchema });
      setMessage({ tone: "success", text: `${r.devices} phone${r.devices === 1 ? "" : "s"} of ${site} ${maintenance ? "in" : "out of"} maintenance.` });
    } catch (e) {
      setMessage({ tone: "error", text: e instanceof ApiError ? (e.body.fields?.site ?? e.message) : "Failed" });
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Site" value={site} onChange={(e) => setSite(e.target.value)} error={message?.tone === "error" ? message.text : undefined} />
        <Button onClick={() => send(true)} disabled={!site.trim()}>
          Start maintenance
        </Button>
        <Button onClick={() => send(false)} disabled={!site.trim()}>
          End maintenance
        </Button>
      </div>
      {message?.tone === "success" && <Alert tone="success">{message.text}</Alert>}
    </div>
  );
}

export function AlertSettings({ isAdmin }: { isAdmin: boolean }) {
  const webhooks = useApiQuery(URLS.webhooks, z.array(channelSchema));
  const emails = useApiQuery(URLS.emails, z.array(channelSchema));
  // The log fills as messages go out; follow it while the page is open.
  const log = useApiQuery(URLS.deliveries, z.array(deliverySchema), { refetchInterval: 5_000 });
  const invalidate = useInvalidate();
  const load = () => void invalidate("/api/v1/alerts");
  const channels = [...(webhooks.data ?? []), ...(emails.data ?? [])];
  const deliveries = log.data ?? [];
  const [removeError, setRemoveError] = useState<string | null>(null);
  const error = removeError ?? webhooks.error?.message ?? emails.error?.message ?? log.error?.message ?? null;
  const remove = async (c: ChannelView) => {
    setRemoveError(null);
    try {
      await apiFetch(`/api/v1/alerts/${c.kind === "webhook" ? "webhooks" : "emails"}/${encodeURIComponent(c.id)}`, { method: "DELETE" });
      load();
    } catch (e) {
      setRemoveError(e instanceof Error ? e.message : "Removing failed");
    }
  };

  return (
    <Panel title="Alerts" description="One message when an incident opens (a proxy goes down, a phone fails over …) and one when it clears. Many phones at once arrive as one summary." className="gap-4">
      {error && <Alert>{error}</Alert>}
      {channels.length === 0 ? (
        <p className="text-sm text-slate-500">No alert channel configured.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm" aria-label="Alert channels">
          {channels.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-100 py-1">
              <span>
                <span className="font-medium">{c.kind === "webhook" ? "Webhook" : "E-mail"}</span> <span className="font-mono text-xs break-all">{c.target}</span>
                {c.hasSecret && <span className="text-slate-500"> (signed)</span>} <span className="text-slate-500">— {rule(c)}</span>
              </span>
              {isAdmin && (
                <Button size="sm" variant="ghost" onClick={() => remove(c)} aria-label={`Remove ${c.kind} ${c.target}`}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdmin && (
        <div className="grid gap-4 lg:grid-cols-2">
          <div>
            <h3 className="mb-2 text-sm font-semibold">Add a webhook</h3>
            <ChannelForm kind="webhook" onAdded={load} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Add an e-mail recipient</h3>
            <ChannelForm kind="email" onAdded={load} />
          </div>
        </div>
      )}
      {isAdmin && (
        <div>
          <h3 className="mb-2 text-sm font-semibold">Maintenance by site</h3>
          <SiteMaintenanceForm />
        </div>
      )}
      <div>
        <h3 className="text-sm font-semibold">Delivery log</h3>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Delivery log">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3">When</th>
                  <th scope="col" className="py-1 pr-3">Event</th>
                  <th scope="col" className="py-1 pr-3">About</th>
                  <th scope="col" className="py-1 pr-3">Channel</th>
                  <th scope="col" className="py-1">Result</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} className="border-t border-slate-100 align-top">
                    <td className="py-1 pr-3"><RelativeTime iso={d.createdAt} /></td>
                    <td className="py-1 pr-3">{d.event}{d.state === "resolved" ? " (resolved)" : ""}</td>
                    <td className="py-1 pr-3">{d.subject}</td>
                    <td className="py-1 pr-3 font-mono text-xs break-all">{d.channel}</td>
                    <td className={d.status === "failed" ? "py-1 text-red-700" : "py-1"}>
                      {d.status === "summarized" ? `in a summary of ${d.summaryOf}` : d.status}
                      {d.attempts > 1 && ` after ${d.attempts} attempts`}
                      {d.lastError && ` — ${d.lastError}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Panel>
  );
}
