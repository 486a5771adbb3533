// Alert channels, deliveries, incidents and maintenance (lib/alerts), and the health report.
import { z } from "zod";
import { ALERT_EVENTS, channelSchema, deliverySchema, emailInputSchema, webhookInputSchema } from "@/lib/alerts/model";
import { siteMaintenanceResultSchema, siteMaintenanceSchema } from "@/lib/alerts/model";
import { healthSchema } from "@/lib/health";
import { E, jsonContent, ok, op, type Paths } from "../doc";

const channelIdParam = { path: z.object({ id: z.uuid().meta({ description: "Channel id" }) }) };

export const alertPaths: Paths = {
  "/health": {
    get: op({
      summary: "Health: {status: ok} for anyone; database and live portal processes when signed in",
      security: [{}, { bearer: [] }, { cookie: [] }],
      responses: { 200: ok("Healthy", healthSchema) },
    }),
  },
  "/alerts/webhooks": {
    get: op({ summary: "Webhook alert channels (secrets are write-only)", responses: { 200: ok("Webhooks", z.array(channelSchema)), 401: E[401] } }),
    post: op({
      summary: "Add a webhook (admins)",
      description: "Each alert is POSTed as JSON (AlertPayload). With a secret, `X-Portal-Signature: sha256=<hex HMAC-SHA256 of the body>`. A failed delivery (no 2xx) is retried with backoff (2 s, 4 s … 5 min, 8 attempts).",
      requestBody: { content: jsonContent(webhookInputSchema) },
      responses: { 201: ok("Added", channelSchema), 401: E[401], 403: E[403], 422: E[422] },
    }),
  },
  "/alerts/webhooks/{id}": { delete: op({ summary: "Remove a webhook (admins)", requestParams: channelIdParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }) },
  "/alerts/emails": {
    get: op({ summary: "E-mail alert channels", responses: { 200: ok("E-mail channels", z.array(channelSchema)), 401: E[401] } }),
    post: op({ summary: "Add an e-mail recipient (admins; needs SMTP_URL)", requestBody: { content: jsonContent(emailInputSchema) }, responses: { 201: ok("Added", channelSchema), 401: E[401], 403: E[403], 422: E[422] } }),
  },
  "/alerts/emails/{id}": { delete: op({ summary: "Remove an e-mail recipient (admins)", requestParams: channelIdParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }) },
  "/alerts/deliveries": {
    get: op({
      summary: "The delivery log, newest first",
      requestParams: { query: z.object({ limit: z.number().int().min(1).max(1000).optional().meta({ description: "default 200" }) }) },
      responses: { 200: ok("Deliveries", z.array(deliverySchema)), 401: E[401] },
    }),
  },
  "/alerts/incidents": {
    get: op({
      summary: "Incidents open now (one per proxy down, phone failed over, unregistered, unreachable, drifted)",
      responses: { 200: ok("Incidents", z.array(z.object({ id: z.number().int(), key: z.string(), event: z.enum(ALERT_EVENTS), deviceId: z.uuid().nullable(), proxy: z.string().nullable(), openedAt: z.iso.datetime(), details: z.record(z.string(), z.unknown()) }))), 401: E[401] },
    }),
  },
  "/maintenance": {
    post: op({ summary: "Put every phone of a site in or out of maintenance (admins)", requestBody: { content: jsonContent(siteMaintenanceSchema) }, responses: { 200: ok("Updated", siteMaintenanceResultSchema), 401: E[401], 403: E[403], 422: E[422] } }),
  },
};
