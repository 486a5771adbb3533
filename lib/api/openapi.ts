import "server-only";
import { createDocument } from "zod-openapi";
import { alertPayloadSchema } from "@/lib/alerts/model";
import { jsonContent, op, type Paths } from "./doc";
import { accountPaths } from "./paths/account";
import { alertPaths } from "./paths/alerts";
import { auditPaths } from "./paths/audit";
import { configPaths } from "./paths/config";
import { devicePaths } from "./paths/devices";
import { jobPaths } from "./paths/jobs";
import { provisioningPaths } from "./paths/provisioning";
import { proxyPaths } from "./paths/proxies";
import { registrarPaths } from "./paths/registrars";
import { statusPaths } from "./paths/status";
import { viewPaths } from "./paths/views";
import { tokenPaths } from "./paths/tokens";
import { userPaths } from "./paths/users";

// The OpenAPI document is a registry: each domain describes its paths (lib/api/paths/<domain>.ts) with the same
// zod schemas its handlers use for requests and replies (lib/<domain>/schemas.ts), so the document cannot drift
// from what the server accepts and answers. tests/api/openapi-contract.test.ts validates real replies against it.
// A new domain: add lib/<domain>/schemas.ts, lib/api/paths/<domain>.ts, and one entry below.
const PATH_GROUPS: Paths[] = [userPaths, accountPaths, tokenPaths, devicePaths, viewPaths, configPaths, statusPaths, registrarPaths, proxyPaths, auditPaths, jobPaths, alertPaths, provisioningPaths];

const selfPaths: Paths = {
  "/openapi.json": {
    get: op({
      summary: "This document",
      security: [],
      responses: { 200: { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object", properties: { openapi: { type: "string" } }, required: ["openapi", "paths"] } } } } },
    }),
  },
};

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  return (cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "SIP Admin Portal API",
      version: "1",
      description:
        "Configure Phoenix Audio Spider MT505 SIP phones. Authenticate with POST /session, then send the `sap_session` cookie or `Authorization: Bearer <token>`. Errors are `{error: {code, message, fields?}}`. Viewers may read; only admins may change.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "The token returned by POST /session" },
        cookie: { type: "apiKey", in: "cookie", name: "sap_session" },
      },
    },
    // What the portal sends to a webhook added with POST /alerts/webhooks. (GET /metrics, the Prometheus text
    // format, lives outside /api/v1: a signed-in session or `Authorization: Bearer $METRICS_TOKEN`.)
    webhooks: {
      alert: {
        post: {
          summary: "An alert (incident firing or resolved), or a summary of many of one kind",
          parameters: [{ name: "X-Portal-Signature", in: "header", required: false, description: "sha256=<hex HMAC-SHA256 of the body with the webhook's secret>; present when a secret is set", schema: { type: "string" } }],
          requestBody: { content: jsonContent(alertPayloadSchema) },
          responses: { 200: { description: "Any 2xx: delivered; anything else is retried with backoff" } },
        },
      },
    },
    paths: Object.assign({}, ...PATH_GROUPS, selfPaths),
  }));
}
