// Alerts in the database: channels, incidents (one open row per key, enforced by a partial unique index) and
// deliveries (the sender's durable queue and the delivery log).
import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { notFound } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import type { Db, DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { alertChannels, alertDeliveries, alertIncidents } from "@/lib/db/schema";
import { isUuid } from "@/lib/inventory/devices";
import { batched, openingEvent, type Signal } from "./decide";
import { channelMatches, type AlertEvent, type AlertPayload, type AlertPhase, type AlertScope, type ChannelKind, type ChannelView, type DeliveryView, type DeviceRef } from "./model";

type ChannelRow = typeof alertChannels.$inferSelect;

export function toChannelView(r: ChannelRow): ChannelView {
  return { id: r.id, kind: r.kind as ChannelKind, target: r.target, hasSecret: r.secretEnc !== null, events: r.events as AlertEvent[], site: r.site, tag: r.tag, createdAt: r.createdAt.toISOString() };
}

export async function listChannels(db: DbOrTx, kind?: ChannelKind): Promise<ChannelRow[]> {
  const q = db.select().from(alertChannels);
  return kind ? q.where(eq(alertChannels.kind, kind)).orderBy(alertChannels.createdAt) : q.orderBy(alertChannels.createdAt);
}

export async function insertChannel(
  db: Db,
  input: { kind: ChannelKind; target: string; secret?: string; events: AlertEvent[]; site: string | null; tag: string | null },
  actor: string,
): Promise<ChannelRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertChannels)
      .values({ kind: input.kind, target: input.target, secretEnc: input.secret ? encryptSecret(input.secret) : null, events: input.events, site: input.site, tag: input.tag })
      .returning();
    await audit(tx, { actor, action: "alert_channel.create", targetType: "alert_channel", targetId: row.id, details: { kind: input.kind, target: input.target, events: input.events, site: input.site, tag: input.tag, secret: input.secret ? "set" : "none" } });
    return row;
  });
}

export async function deleteChannel(db: Db, kind: ChannelKind, id: string, actor: string): Promise<void> {
  if (!isUuid(id)) throw notFound("Channel");
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(alertChannels).where(and(eq(alertChannels.id, id), eq(alertChannels.kind, kind))).returning();
    if (!row) throw notFound(kind === "webhook" ? "Webhook" : "E-mail channel");
    await audit(tx, { actor, action: "alert_channel.delete", targetType: "alert_channel", targetId: id, details: { kind, target: row.target } });
  });
}

/** What a signal is about, resolved by the engine before it is applied. */
export interface Subject {
  device?: DeviceRef & { maintenance: boolean };
  proxy?: { address: string };
  /** The phones the alert concerns (site/tag rules). */
  scope: AlertScope;
  label: string;
}

export interface SignalSettings {
  now: Date;
  batchWindowMs: number;
}

/** Applies one signal: opens/resolves its incident and queues a message for every channel that wants it. Returns how many were queued. */
export async function applySignal(db: Db, signal: Signal, subject: Subject, s: SignalSettings): Promise<number> {
  const silent = subject.device?.maintenance === true;
  return db.transaction(async (tx) => {
    let incidentId: number | null = null;
    let phase: AlertPhase = "firing";
    if (signal.kind === "open") {
      if (silent) return 0; // a phone in maintenance opens nothing
      const [row] = await tx
        .insert(alertIncidents)
        .values({ key: signal.key, event: signal.event, deviceId: subject.device?.id ?? null, proxy: subject.proxy?.address ?? null, openedAt: s.now, details: signal.details })
        .onConflictDoNothing({ target: alertIncidents.key, where: isNull(alertIncidents.resolvedAt) })
        .returning({ id: alertIncidents.id });
      if (!row) return 0; // already open: one alert per incident
      incidentId = row.id;
    } else if (signal.kind === "resolve") {
      const [row] = await tx
        .update(alertIncidents)
        .set({ resolvedAt: s.now })
        .where(and(eq(alertIncidents.key, signal.key), isNull(alertIncidents.resolvedAt)))
        .returning({ id: alertIncidents.id });
      if (!row || silent) return 0; // nothing open (or closed quietly in maintenance)
      incidentId = row.id;
      phase = "resolved";
    } else {
      const [seen] = await tx.select({ id: alertIncidents.id }).from(alertIncidents).where(eq(alertIncidents.key, signal.key)).limit(1);
      if (seen) return 0;
      const [row] = await tx
        .insert(alertIncidents)
        .values({ key: signal.key, event: signal.event, openedAt: s.now, resolvedAt: s.now, details: signal.details })
        .returning({ id: alertIncidents.id });
      incidentId = row.id;
    }
    const payload: AlertPayload = {
      event: signal.event,
      at: s.now.toISOString(),
      state: phase,
      incident: incidentId,
      ...(subject.device ? { device: { id: subject.device.id, name: subject.device.name, address: subject.device.address, site: subject.device.site, tags: subject.device.tags } } : {}),
      ...(subject.proxy ? { proxy: subject.proxy } : {}),
      details: signal.details,
    };
    const events = [signal.event, openingEvent(signal.key)];
    const channels = (await listChannels(tx)).filter((c) => channelMatches(c, events, subject.scope));
    if (!channels.length) return 0;
    const due = new Date(s.now.getTime() + (batched(signal.event) ? s.batchWindowMs : 0));
    await tx.insert(alertDeliveries).values(
      channels.map((c) => ({ channelId: c.id, incidentId, event: signal.event, phase, subject: subject.label, payload: payload as unknown as Record<string, unknown>, nextAttemptAt: due })),
    );
    return channels.length;
  });
}

export interface Claimed {
  id: number;
  channelId: string;
  event: AlertEvent;
  phase: AlertPhase;
  payload: AlertPayload;
  attempts: number;
}

/** Takes due deliveries (queued, due) for sending; SKIP LOCKED so two senders never take the same row. */
export async function claimDue(db: Db, now: Date, limit = 500): Promise<Claimed[]> {
  const result = await db.execute(sql`
    update ${alertDeliveries} set status = 'sending'
    where id in (
      select id from ${alertDeliveries}
      where status = 'queued' and next_attempt_at <= ${now.toISOString()}::timestamptz
      order by id limit ${limit} for update skip locked)
    returning id, channel_id, event, phase, payload, attempts`);
  // Both drivers answer raw statements as {rows}; bigint ids arrive as strings from node-postgres.
  type Row = { id: string | number; channel_id: string; event: AlertEvent; phase: AlertPhase; payload: AlertPayload; attempts: number };
  return (result as unknown as { rows: Row[] }).rows.map((r) => ({
    id: Number(r.id),
    channelId: r.channel_id,
    event: r.event,
    phase: r.phase,
    payload: r.payload,
    attempts: r.attempts,
  }));
}

/** A process that died while sending left rows "sending": they go out again (at least once). */
export async function requeueInterrupted(db: Db): Promise<void> {
  await db.update(alertDeliveries).set({ status: "queued" }).where(eq(alertDeliveries.status, "sending"));
}

export async function channelsById(db: Db, ids: string[]): Promise<Map<string, ChannelRow & { secret: string | null }>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(alertChannels).where(inArray(alertChannels.id, ids));
  return new Map(rows.map((r) => [r.id, { ...r, secret: r.secretEnc ? decryptSecret(r.secretEnc) : null }]));
}

export async function markSent(db: Db, ids: number[], o: { at: Date; responseStatus: number | null; summaryOf: number | null }): Promise<void> {
  if (!ids.length) return;
  const [first, ...rest] = ids;
  await db
    .update(alertDeliveries)
    .set({ status: "sent", sentAt: o.at, responseStatus: o.responseStatus, summaryOf: o.summaryOf, lastError: null, attempts: sql`${alertDeliveries.attempts} + 1` })
    .where(eq(alertDeliveries.id, first));
  if (rest.length)
    await db
      .update(alertDeliveries)
      .set({ status: o.summaryOf ? "summarized" : "sent", sentAt: o.at, responseStatus: o.responseStatus, summaryOf: o.summaryOf, lastError: null, attempts: sql`${alertDeliveries.attempts} + 1` })
      .where(inArray(alertDeliveries.id, rest));
}

export async function markFailed(db: Db, ids: number[], o: { error: string; responseStatus: number | null; nextAttemptAt: Date | null }): Promise<void> {
  if (!ids.length) return;
  await db
    .update(alertDeliveries)
    .set({ status: o.nextAttemptAt ? "queued" : "failed", nextAttemptAt: o.nextAttemptAt, lastError: o.error, responseStatus: o.responseStatus, attempts: sql`${alertDeliveries.attempts} + 1` })
    .where(inArray(alertDeliveries.id, ids));
}

export async function recentDeliveries(db: Db, limit: number): Promise<DeliveryView[]> {
  const rows = await db
    .select({ d: alertDeliveries, kind: alertChannels.kind, target: alertChannels.target })
    .from(alertDeliveries)
    .innerJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
    .orderBy(desc(alertDeliveries.id))
    .limit(limit);
  return rows.map(({ d, kind, target }) => ({
    id: d.id,
    channelId: d.channelId,
    channel: `${kind}: ${target}`,
    event: d.event as AlertEvent,
    state: d.phase as AlertPhase,
    status: d.status as DeliveryView["status"],
    attempts: d.attempts,
    lastError: d.lastError,
    responseStatus: d.responseStatus,
    createdAt: d.createdAt.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null,
    nextAttemptAt: d.status === "queued" ? (d.nextAttemptAt?.toISOString() ?? null) : null,
    summaryOf: d.summaryOf,
    subject: d.subject,
  }));
}

export async function openIncidents(db: Db) {
  const rows = await db.select().from(alertIncidents).where(isNull(alertIncidents.resolvedAt)).orderBy(desc(alertIncidents.openedAt)).limit(500);
  return rows.map((r) => ({ id: r.id, key: r.key, event: r.event as AlertEvent, deviceId: r.deviceId, proxy: r.proxy, openedAt: r.openedAt.toISOString(), details: r.details }));
}
