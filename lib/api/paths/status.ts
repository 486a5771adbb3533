// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { deviceStatusSchema, pollerHealthSchema, statusSummarySchema } from "@/lib/poller/schemas";
import { trendQuerySchema, trendReplySchema } from "@/lib/trend/schemas";
import { E, idParam, ok, op, sse, type Paths } from "../doc";

const deviceIdParam = idParam("Device");

export const statusPaths: Paths = {
      "/devices/{id}/status": {
        get: op({ summary: "Registration status, keep-alive health per proxy and recent transitions (newest first)", requestParams: deviceIdParam, responses: { 200: ok("Status", deviceStatusSchema), 401: E[401], 404: E[404] } }),
      },
      "/status/summary": {
        get: op({
          summary: "Fleet counts by registration state and their recent trend",
          responses: {
            200: ok("Counts and one sample per poll window", statusSummarySchema),
            401: E[401],
          },
        }),
      },
      "/status/trend": {
        get: op({
          summary: "Fleet counts by registration state over 1 h, 24 h or 7 d, from samples stored every STATUS_SAMPLE_INTERVAL_S",
          description: "Each point is the mean of the stored samples in one bucket (1 h: 1 min, 24 h: 15 min, 7 d: 1 h). Buckets without a sample — the portal was not running — are absent, not zero.",
          requestParams: { query: trendQuerySchema },
          responses: { 200: ok("The range's points, oldest first", trendReplySchema), 401: E[401], 422: E[422] },
        }),
      },
      "/poller": { get: op({ summary: "Status poller health (last window, totals, errors by code)", responses: { 200: ok("Health", pollerHealthSchema), 401: E[401] } }) },
      "/events": {
        get: op({
          summary: "Server-Sent Events: `status` (a device's registration changed) and `job` (bulk job progress)",
          description: "text/event-stream; `retry:` 2 s, a comment heartbeat every 15 s, `event: ready` on connect. Load snapshots over REST and refetch them after a reconnect.",
          responses: { 200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } }, 401: E[401] },
        }),
      },
};
