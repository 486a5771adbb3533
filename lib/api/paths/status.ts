// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { deviceStatusSchema, pollerHealthSchema, statusSummarySchema } from "@/lib/poller/schemas";
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
      "/poller": { get: op({ summary: "Status poller health (last window, totals, errors by code)", responses: { 200: ok("Health", pollerHealthSchema), 401: E[401] } }) },
      "/events": {
        get: op({
          summary: "Server-Sent Events: `status` (a device's registration changed) and `job` (bulk job progress)",
          description: "text/event-stream; `retry:` 2 s, a comment heartbeat every 15 s, `event: ready` on connect. Load snapshots over REST and refetch them after a reconnect.",
          responses: { 200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } }, 401: E[401] },
        }),
      },
};
