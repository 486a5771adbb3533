// Alerts: one operation per use case, called by the routes.
import "server-only";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { emailInputSchema, webhookInputSchema, type ChannelKind, type ChannelView, type DeliveryView } from "./model";
import { deleteChannel, insertChannel, listChannels, openIncidents, recentDeliveries, toChannelView } from "./store";

export * from "./model";
export { AlertEngine, startAlertEngine, stopAlertEngine } from "./engine";
export { AlertSender, startAlertSender, stopAlertSender } from "./sender";
export { SIGNATURE_HEADER, signature } from "./senders";

export async function listAlertChannels(kind: ChannelKind): Promise<ChannelView[]> {
  return (await listChannels(await getDb(), kind)).map(toChannelView);
}

export async function createWebhook(body: unknown, actor: string): Promise<ChannelView> {
  const input = parseWith(webhookInputSchema, body);
  return toChannelView(await insertChannel(await getDb(), { kind: "webhook", target: input.url, secret: input.secret, events: input.events, site: input.site, tag: input.tag }, actor));
}

export async function createEmailChannel(body: unknown, actor: string): Promise<ChannelView> {
  const input = parseWith(emailInputSchema, body);
  if (!env().SMTP_URL) throw new AppError("validation_failed", "E-mail alerts need an SMTP server: set SMTP_URL", { fields: { to: "E-mail is not configured on this portal (SMTP_URL)" } });
  return toChannelView(await insertChannel(await getDb(), { kind: "email", target: input.to, events: input.events, site: input.site, tag: input.tag }, actor));
}

export async function removeAlertChannel(kind: ChannelKind, id: string, actor: string): Promise<void> {
  await deleteChannel(await getDb(), kind, id, actor);
}

export async function listDeliveries(limit = 200): Promise<DeliveryView[]> {
  return recentDeliveries(await getDb(), Math.min(Math.max(1, limit), 1000));
}

export async function listOpenIncidents() {
  return openIncidents(await getDb());
}
