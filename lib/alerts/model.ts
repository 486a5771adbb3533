// Alerts: the events, the channel inputs and the payload a channel receives (zod: routes, OpenAPI, browser), and
// the pure rule that says whether a channel wants an alert. No I/O.
import { z } from "zod";

export const ALERT_EVENTS = [
  "device.failed_over",
  "device.failed_back",
  "device.unregistered",
  "device.unreachable",
  "device.drifted",
  "proxy.down",
  "proxy.up",
  "job.finished_with_failures",
] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** An incident's messages: one when it opens (firing), one when it clears (resolved). */
export const ALERT_PHASES = ["firing", "resolved"] as const;
export type AlertPhase = (typeof ALERT_PHASES)[number];

const scope = {
  events: z
    .array(z.enum(ALERT_EVENTS, { error: `Events must be among: ${ALERT_EVENTS.join(", ")}` }))
    .max(ALERT_EVENTS.length)
    .optional()
    .default([])
    .meta({ description: "Only these events (empty or absent: every event). A resolve follows its incident's event." }),
  site: z.string().trim().max(100, "Site can be at most 100 characters").optional().transform((v) => v || null).meta({ description: "Only phones of this site (and proxies they use)" }),
  tag: z.string().trim().max(40, "A tag can be at most 40 characters").optional().transform((v) => v || null).meta({ description: "Only phones with this tag (and proxies they use)" }),
};

export const webhookInputSchema = z.object({
  url: z
    .string({ error: "URL is required" })
    .trim()
    .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), { message: "URL must be an http:// or https:// URL" }),
  secret: z.string().min(8, "A secret needs at least 8 characters").max(200, "A secret can be at most 200 characters").optional().meta({ description: "Write-only. When set, each delivery carries X-Portal-Signature: sha256=<HMAC-SHA256 of the body>" }),
  ...scope,
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const emailInputSchema = z.object({
  to: z.email({ error: "To must be an e-mail address" }).trim().max(200),
  ...scope,
});
export type EmailInput = z.infer<typeof emailInputSchema>;

export const CHANNEL_KINDS = ["webhook", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const channelSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(CHANNEL_KINDS),
    target: z.string().meta({ description: "Webhook URL or e-mail address" }),
    hasSecret: z.boolean(),
    events: z.array(z.enum(ALERT_EVENTS)),
    site: z.string().nullable(),
    tag: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AlertChannel" });
export type ChannelView = z.infer<typeof channelSchema>;

const deviceRefSchema = z.object({ id: z.uuid(), name: z.string(), address: z.string(), site: z.string(), tags: z.array(z.string()) });
export type DeviceRef = z.infer<typeof deviceRefSchema>;

export const alertPayloadSchema = z
  .object({
    event: z.enum(ALERT_EVENTS),
    at: z.iso.datetime(),
    state: z.enum(ALERT_PHASES).meta({ description: "firing: the incident opened · resolved: it cleared" }),
    incident: z.number().int().nullable().meta({ description: "Incident id (null for a summary of several)" }),
    device: deviceRefSchema.optional(),
    proxy: z.object({ address: z.string() }).optional(),
    details: z.record(z.string(), z.unknown()).meta({ description: "Event specific. A summary has {summary: true, count, devices: [...]}" }),
  })
  .meta({ id: "AlertPayload", description: "What a webhook receives (JSON body) and an e-mail carries" });
export type AlertPayload = z.infer<typeof alertPayloadSchema>;

export const DELIVERY_STATUSES = ["queued", "sending", "sent", "failed", "summarized"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const deliverySchema = z
  .object({
    id: z.number().int(),
    channelId: z.uuid(),
    channel: z.string().meta({ description: "kind: target" }),
    event: z.enum(ALERT_EVENTS),
    state: z.enum(ALERT_PHASES),
    status: z.enum(DELIVERY_STATUSES).meta({ description: "summarized: sent as part of one summary message (see summaryOf)" }),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    responseStatus: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    summaryOf: z.number().int().nullable().meta({ description: "How many alerts the summary this one went out in held" }),
    subject: z.string().meta({ description: "Device name, proxy address or job id" }),
  })
  .meta({ id: "AlertDelivery" });
export type DeliveryView = z.infer<typeof deliverySchema>;

/** What a channel's rule looks at. */
export interface ChannelRule {
  events: readonly string[];
  site: string | null;
  tag: string | null;
}

/** The phones an alert is about: the device itself, or the phones that use a proxy. Jobs: none (only unscoped channels). */
export type AlertScope = { site: string; tags: string[] }[];

/**
 * Whether a channel wants a message of `events` (the message's own event and its incident's opening event: a
 * channel that asks for proxy.down also hears the proxy.up that resolves it) about phones `scope`.
 */
export function channelMatches(rule: ChannelRule, events: readonly AlertEvent[], scope: AlertScope): boolean {
  if (rule.events.length && !events.some((e) => rule.events.includes(e))) return false;
  if (rule.site === null && rule.tag === null) return true;
  return scope.some((p) => (rule.site === null || p.site === rule.site) && (rule.tag === null || p.tags.includes(rule.tag)));
}

/** POST /maintenance: every phone of a site in or out of maintenance. */
export const siteMaintenanceSchema = z
  .object({
    site: z.string({ error: "Site is required" }).trim().min(1, "Site is required").max(100, "Site can be at most 100 characters"),
    maintenance: z.boolean({ error: "Maintenance must be true or false" }),
  })
  .meta({ id: "SiteMaintenance" });
export const siteMaintenanceResultSchema = z.object({ site: z.string(), maintenance: z.boolean(), devices: z.number().int().meta({ description: "Phones of the site changed" }) });
export type SiteMaintenanceResult = z.infer<typeof siteMaintenanceResultSchema>;
