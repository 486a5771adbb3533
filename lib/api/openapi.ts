import { healthSchema } from "@/lib/health";
import "server-only";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import { userInputSchema, userPatchSchema } from "@/lib/auth/users";
import { auditQuerySchema } from "@/lib/audit";
import { DRIVERS } from "@/lib/device/kinds";
import { deviceInputSchema, devicePatchSchema } from "@/lib/inventory/device-input";
import { MODELS } from "@/lib/params/profiles/data";
import { deviceQuerySchema } from "@/lib/inventory/devices";
import { CATALOG, type ParamDef } from "@/lib/params";
import { JOB_OUTCOMES } from "@/lib/jobs/outcome";
import { selectionFilterSchema } from "@/lib/jobs/selection";
import { TARGET_ATTEMPT_OUTCOMES } from "@/lib/db/schema";
import { ALERT_EVENTS, alertPayloadSchema, channelSchema, deliverySchema, emailInputSchema, webhookInputSchema } from "@/lib/alerts/model";
import { siteMaintenanceSchema } from "@/lib/alerts/maintenance";
import { proxyDetailSchema, proxySchema } from "@/lib/proxy-health/model";
import { deviceRegistrarSchema, registrarContactSchema, registrarInputSchema, registrarSchema } from "@/lib/registrars/model";
import { configStateSchema, jobStateSchema, proxyRoleSchema as proxyRole, registrationStateSchema, roleSchema, targetStateSchema } from "@/lib/states";

// The OpenAPI document is generated from the same zod schemas the handlers use (device input, users, query) and
// from the catalog (config values), so it cannot drift from what the server accepts.

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "validation_failed" }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: "Per-field messages (422 validation_failed)" }),
      rows: z
        .array(z.object({ row: z.number().int(), field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "Per-row errors of a CSV import (header = row 1)" }),
    }),
  })
  .meta({ id: "Error" });

const userSchema = z.object({ id: z.uuid(), username: z.string(), role: roleSchema }).meta({ id: "User" });
const listedUserSchema = userSchema.extend({ createdAt: z.iso.datetime() }).meta({ id: "ListedUser" });
const userIdParam = { path: z.object({ id: z.uuid().meta({ description: "User id" }) }) };

const deviceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().meta({ description: "host:port of the device's HTTP config API" }),
    username: z.string(),
    hasPassword: z.boolean().meta({ description: "The password itself is write-only" }),
    site: z.string(),
    tags: z.array(z.string()),
    driver: z.enum(DRIVERS).meta({ description: "How the portal talks to the phone: api (JSON config API), web (AudioCodes-family web interface), provisioning (the phone pulls <mac>.cfg)" }),
    model: z.enum(MODELS).meta({ description: "Which key tree the phone speaks (mt505 = the reference's, audiocodes-hd = the 310HD tree)" }),
    mac: z.string().nullable().meta({ description: "Lower-case hex without separators, e.g. 001f9c123456" }),
    sipAddress: z.string().nullable().meta({ description: "host[:port] of the phone's SIP user agent (check-sync); null = registered contact or the address on 5060" }),
    provisioningUsername: z.string().meta({ description: "Per-device provisioning username; empty = the shared PROVISIONING_USERNAME" }),
    hasProvisioningPassword: z.boolean(),
    maintenance: z.boolean().meta({ description: "Alerts silenced; shown as maintenance instead of unreachable" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    status: z
      .object({ state: registrationStateSchema, proxy: proxyRole.nullable(), since: z.iso.datetime() })
      .nullable()
      .optional()
      .meta({ description: "List items only: current registration; null = not polled yet" }),
  })
  .meta({ id: "Device" });

function paramSchema(p: ParamDef): z.ZodType {
  let s: z.ZodType;
  switch (p.type) {
    case "boolean":
      s = z.union([z.literal(0), z.literal(1)]);
      break;
    case "integer":
    case "port": {
      let n = z.number().int();
      if (p.min !== undefined) n = n.min(p.min);
      if (p.max !== undefined) n = n.max(p.max);
      s = n;
      break;
    }
    case "enum":
      s = z.union((p.options ?? []).map((o) => z.literal(o.value)) as unknown as [z.ZodLiteral, z.ZodLiteral]);
      break;
    default:
      s = p.maxLength !== undefined ? z.string().max(p.maxLength) : z.string();
  }
  if (p.secret) s = s.nullable();
  const notes = [p.help, p.appliesWhen ? `Applies when ${p.appliesWhen.key} = ${p.appliesWhen.equals}.` : "", p.secret ? "Write-only: read as null; null or absent in a write keeps it." : ""];
  return s.meta({ title: p.label, description: notes.filter(Boolean).join(" "), default: p.default, readOnly: p.readOnly });
}

const params = CATALOG as readonly ParamDef[];
const configValuesSchema = z
  .object(Object.fromEntries(params.map((p) => [p.key, paramSchema(p)])))
  .meta({ id: "ConfigValues", description: "Full configuration in the device's representation (booleans 0/1), keyed by catalog key" });
const configPatchValuesSchema = z
  .object(Object.fromEntries(params.filter((p) => !p.readOnly).map((p) => [p.key, paramSchema(p).optional()])))
  .strict()
  .meta({ id: "ConfigPatchValues", description: "Any subset of the editable parameters; validated on the merged config" });

const configSchema = z
  .object({
    values: configValuesSchema,
    revision: z.number().int().meta({ description: "Portal-side revision of the desired config" }),
    state: configStateSchema,
    syncedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
    deviceRevision: z.number().int().nullable().meta({ description: "The device's own config revision as last read" }),
    drift: z
      .record(z.string(), z.object({ expected: z.unknown(), actual: z.unknown() }))
      .nullable()
      .meta({ description: "Keys where the device differs from what the portal last pushed/adopted" }),
    lastError: z
      .object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional(), at: z.iso.datetime() })
      .nullable()
      .meta({ description: "The last failed push (classified device error)" }),
    lastPushAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "DeviceConfig" });
const pushResultSchema = z
  .object({
    ok: z.literal(true),
    deviceRevision: z.number().int(),
    before: z.record(z.string(), z.unknown()).meta({ description: "Changed keys on the device before the push (secrets masked)" }),
    after: z.record(z.string(), z.unknown()).meta({ description: "The same keys as read back after it" }),
    snapshotId: z.number().int(),
    noop: z.boolean(),
  })
  .meta({ id: "PushResult" });
const syncResultSchema = z
  .object({ ok: z.literal(true), state: configStateSchema, drift: z.record(z.string(), z.unknown()), deviceRevision: z.number().int(), snapshotId: z.number().int(), firstContact: z.boolean() })
  .meta({ id: "SyncResult" });

// Live registration status (issue 6).
const proxyRoleSchema = proxyRole.nullable();
const proxyHealthSchema = z
  .object({
    address: z.string().nullable(),
    reachable: z.boolean().nullable(),
    lastOkAt: z.string().nullable(),
    lastFailAt: z.string().nullable(),
    rttMs: z.number().nullable(),
  })
  .meta({ id: "ProxyHealth", description: "Keep-alive (SIP OPTIONS) health of one proxy as the device reports it" });
const deviceStatusSchema = z
  .object({
    state: registrationStateSchema.nullable().meta({ description: "null: not polled yet" }),
    proxy: proxyRoleSchema,
    since: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    registeredTo: z.string().nullable().meta({ description: "host:port of the registrar the phone itself reports" }),
    maintenance: z.boolean().meta({ description: "The phone is in maintenance: alerts silenced" }),
    registrar: deviceRegistrarSchema.nullable().meta({ description: "What the configured registrars hold for this phone (null: no registrar configured)" }),
    expiresAt: z.iso.datetime().nullable(),
    keepAlive: z.object({ primary: proxyHealthSchema, redundant: proxyHealthSchema }).nullable(),
    updatedAt: z.iso.datetime().nullable(),
    history: z.array(
      z.object({
        at: z.iso.datetime(),
        from: z.object({ state: registrationStateSchema.nullable(), proxy: proxyRoleSchema }),
        to: z.object({ state: registrationStateSchema, proxy: proxyRoleSchema }),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: "DeviceStatus" });
const countsSchema = z
  .object({
    registeredPrimary: z.number().int(),
    registeredRedundant: z.number().int(),
    registering: z.number().int(),
    unregistered: z.number().int(),
    failed: z.number().int(),
    unreachable: z.number().int(),
    unknown: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: "StatusCounts" });
const windowSchema = z.object({
  at: z.iso.datetime(),
  durationMs: z.number(),
  polls: z.number().int(),
  pollsPerS: z.number(),
  notModified: z.number().int(),
  writes: z.number().int(),
  events: z.number().int(),
  errors: z.record(z.string(), z.number().int()),
  lagAvgMs: z.number(),
  lagMaxMs: z.number(),
});
const pollerHealthSchema = z
  .object({
    running: z.boolean(),
    startedAt: z.iso.datetime().nullable().optional(),
    intervalS: z.number().optional(),
    concurrency: z.number().int().optional(),
    devices: z.number().int().optional(),
    inFlight: z.number().int().optional(),
    backingOff: z.number().int().optional(),
    lastCycle: windowSchema.nullable().optional(),
    totals: z.object({ polls: z.number().int(), notModified: z.number().int(), writes: z.number().int(), events: z.number().int(), errors: z.record(z.string(), z.number().int()) }).optional(),
    lastError: z.string().nullable().optional(),
    reason: z.string().optional().meta({ description: "Why no poller runs in this process" }),
  })
  .meta({ id: "PollerHealth" });

const changesSchema = z
  .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
  .meta({ id: "ConfigChanges", description: "{key: {from, to}}; secrets show as null/masked" });
const revisionSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    source: z.enum(["push", "sync", "restore", "adopt", "job"]),
    deviceRevision: z.number().int().nullable(),
    changes: changesSchema,
    jobId: z.uuid().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: "Revision" });
const auditItemSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.string().meta({ example: "config.push" }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    targetName: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    jobEntries: z.number().int().optional().meta({ description: "With groupJobs: per-device entries of this job (job.push only)" }),
  })
  .meta({ id: "AuditEntry" });

const jsonContent = (schema: z.ZodType) => ({ "application/json": { schema } });
const ok = (description: string, schema: z.ZodType) => ({ description, content: jsonContent(schema) });
const err = (description: string) => ({ description, content: jsonContent(errorSchema) });
const E = {
  400: err("Malformed JSON (bad_request)"),
  401: err("No valid session (unauthenticated)"),
  403: err("Viewers cannot change anything (forbidden)"),
  404: err("Not found (not_found)"),
  409: err("Conflict (conflict)"),
  422: err("Invalid values (validation_failed) with per-field messages"),
  device422: err("The device rejected a value (rejected_by_device) with its own message per key in `fields`; nothing changed on the device"),
  device409: err("The device was changed meanwhile on a key being pushed (conflict); nothing was overwritten"),
  502: err("Device failure: unreachable, unauthorized, malformed_reply, device_error or verify_failed; the desired config stays pending"),
  504: err("The device did not answer in time (timeout); the desired config stays pending"),
};
/** A POST action on one device (admins) that talks to the device. */
const deviceAction = (summary: string, description: string, key: "push" | "sync", schema: z.ZodType) =>
  op({
    summary,
    description,
    requestParams: idParam,
    responses: {
      200: ok("Done: the device's config as the portal now sees it", configSchema.extend({ [key]: schema })),
      401: E[401],
      403: E[403],
      404: E[404],
      409: E.device409,
      422: E.device422,
      502: E[502],
      504: E[504],
    },
  });
const idParam = { path: z.object({ id: z.uuid().meta({ description: "Device id" }) }) };

const ridParam = { path: z.object({ id: z.uuid().meta({ description: "Device id" }), rid: z.string().meta({ description: "Revision id" }) }) };

function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return o;
}

// ── Push jobs (issue 7) ──
const selectionSchema = z
  .union([z.object({ deviceIds: z.array(z.uuid()) }), z.object({ filter: selectionFilterSchema })])
  .meta({ id: "Selection", description: "Checked devices, or every device matching the filter (resolved on the server)" });
const bulkValuesSchema = z.record(z.string(), z.union([z.string(), z.number()])).meta({ description: "Proxy-related, non-secret catalog keys → new values" });
const jobCountsSchema = z.object({ queued: z.number(), running: z.number(), applied: z.number(), failed: z.number(), skipped: z.number(), cancelled: z.number(), total: z.number() });
const jobSummarySchema = z
  .object({
    id: z.uuid(),
    state: jobStateSchema,
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    reason: z.string(),
    values: bulkValuesSchema,
    concurrency: z.number().int(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    outcome: z.enum(JOB_OUTCOMES).meta({ description: "A done job with any failed target is finished_with_failures" }),
    counts: jobCountsSchema,
  })
  .meta({ id: "JobSummary" });
const targetAttemptSchema = z
  .object({
    at: z.iso.datetime(),
    outcome: z.enum(TARGET_ATTEMPT_OUTCOMES),
    attempt: z.number().int().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    by: z.string().optional(),
    nextAttemptAt: z.iso.datetime().optional(),
  })
  .meta({ id: "TargetAttempt", description: "One attempt's outcome (or a retry request / restart), kept across retries" });
const jobSchema = jobSummarySchema
  .extend({
    targets: z.array(
      z.object({
        deviceId: z.uuid(),
        name: z.string(),
        state: targetStateSchema,
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.record(z.string(), z.unknown()).nullable(),
        error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }).nullable(),
        attempts: z.number().int(),
        nextAttemptAt: z.iso.datetime().nullable(),
        deviceRevision: z.number().int().nullable(),
        history: z.array(targetAttemptSchema),
        updatedAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: "Job" });
const previewSchema = z
  .object({
    rows: z.array(
      z.object({
        deviceId: z.uuid(),
        name: z.string(),
        status: z.enum(["change", "nochange", "invalid"]),
        diff: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
        errors: z.record(z.string(), z.string()).optional(),
        unread: z.literal(true).optional(),
      }),
    ),
    counts: z.object({ change: z.number(), nochange: z.number(), invalid: z.number(), total: z.number() }),
  })
  .meta({ id: "BulkPreview" });
const channelIdParam = { path: z.object({ id: z.uuid().meta({ description: "Channel id" }) }) };
const registrarIdParam = { path: z.object({ id: z.uuid().meta({ description: "Registrar id" }) }) };
const jobIdParam = { path: z.object({ id: z.uuid().meta({ description: "Job id" }) }) };
const csv = (description: string) => ({ description, content: { "text/csv": { schema: z.string() } } });

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
    paths: {
      "/session": {
        post: op({
          summary: "Sign in",
          security: [],
          requestBody: { content: jsonContent(z.object({ username: z.string(), password: z.string() })) },
          responses: {
            200: ok("Signed in; also sets the sap_session cookie", z.object({ user: userSchema, token: z.string() })),
            400: E[400],
            401: err("Wrong username or password (invalid_credentials)"),
            422: E[422],
            429: err("Too many failed sign-ins for this username (too_many_attempts); see the Retry-After header (seconds)"),
          },
        }),
        get: op({ summary: "The signed-in user", responses: { 200: ok("The user", z.object({ user: userSchema })), 401: E[401] } }),
        delete: op({ summary: "Sign out", responses: { 204: { description: "Signed out; cookie cleared" }, 401: E[401] } }),
      },
      "/users": {
        get: op({ summary: "List users (admins)", responses: { 200: ok("Users", z.object({ items: z.array(listedUserSchema) })), 401: E[401], 403: E[403] } }),
        post: op({
          summary: "Create a user (admins)",
          requestBody: { content: jsonContent(userInputSchema.meta({ id: "UserInput" })) },
          responses: { 201: ok("Created", userSchema), 401: E[401], 403: E[403], 409: E[409], 422: E[422] },
        }),
      },
      "/users/{id}": {
        patch: op({
          summary: "Change a user's role and/or password (admins)",
          description: "A new password ends the user's sessions. Demoting the last admin → 409 conflict. Audited as user.update (never the password).",
          requestParams: userIdParam,
          requestBody: { content: jsonContent(userPatchSchema.meta({ id: "UserPatch" })) },
          responses: { 200: ok("Updated", listedUserSchema), 400: E[400], 401: E[401], 403: E[403], 404: E[404], 409: err("Would leave no admin (conflict)"), 422: E[422] },
        }),
        delete: op({
          summary: "Delete a user (admins); ends their sessions",
          description: "Deleting the last admin → 409 conflict; deleting yourself → 422. Audited as user.delete.",
          requestParams: userIdParam,
          responses: { 204: { description: "Deleted" }, 401: E[401], 403: E[403], 404: E[404], 409: err("Would leave no admin (conflict)"), 422: err("You cannot delete yourself") },
        }),
      },
      "/devices": {
        get: op({
          summary: "List devices",
          requestParams: { query: deviceQuerySchema },
          responses: { 200: ok("A page of devices", z.object({ items: z.array(deviceSchema), total: z.number().int() })), 401: E[401], 422: E[422] },
        }),
        post: op({
          summary: "Add a device (admins)",
          requestBody: { content: jsonContent(deviceInputSchema.meta({ id: "DeviceInput" })) },
          responses: { 201: ok("Created", deviceSchema), 400: E[400], 401: E[401], 403: E[403], 409: err("Address already used"), 422: E[422] },
        }),
      },
      "/devices/import": {
        post: op({
          summary: "Import devices from CSV (admins), all or nothing",
          description: 'Columns name,address,username,password,site,tags (tags separated by ";"),driver,model,mac,sipAddress (optional). Any bad row → 422 csv_invalid with `rows`; nothing stored.',
          requestBody: { content: { "text/csv": { schema: z.string() } } },
          responses: { 200: ok("Imported", z.object({ created: z.number().int() })), 401: E[401], 403: E[403], 422: err("csv_invalid with rows") },
        }),
      },
      "/devices/export.csv": {
        get: op({ summary: "Export devices as CSV (no passwords)", responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, 401: E[401] } }),
      },
      "/devices/{id}": {
        get: op({ summary: "One device", requestParams: idParam, responses: { 200: ok("The device", deviceSchema), 401: E[401], 404: E[404] } }),
        patch: op({
          summary: "Change a device (admins); absent fields are kept, an absent password keeps the stored one",
          requestParams: idParam,
          requestBody: { content: jsonContent(devicePatchSchema.meta({ id: "DevicePatch" })) },
          responses: { 200: ok("Updated", deviceSchema), 401: E[401], 403: E[403], 404: E[404], 409: E[409], 422: E[422] },
        }),
        delete: op({ summary: "Remove a device (admins)", requestParams: idParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }),
      },
      "/devices/{id}/config": {
        get: op({ summary: "Desired configuration (secrets null)", requestParams: idParam, responses: { 200: ok("Config; ETag = revision", configSchema), 401: E[401], 404: E[404] } }),
        patch: op({
          summary: "Change configuration values and push them to the device (admins)",
          description:
            "Validated with the catalog on the merged config; any error → 422 validation_failed with `fields` and nothing stored. Optional `revision` (or If-Match) → 409 when someone saved meanwhile. Then stored as the desired config and pushed: only changed keys, PATCH with If-Match, verified by read-back. A device rejection → 422 rejected_by_device; a device failure → 502/504 with the desired config kept pending (state push_failed, lastError); POST …/config/push retries.",
          requestParams: { ...idParam, header: z.object({ "if-match": z.string().optional() }) },
          requestBody: { content: jsonContent(z.object({ values: configPatchValuesSchema, revision: z.number().int().optional() })) },
          responses: {
            200: ok(
              "Saved and pushed",
              z.object({ values: configValuesSchema, revision: z.number().int(), deviceRevision: z.number().int().nullable(), state: configStateSchema, push: pushResultSchema }),
            ),
            400: E[400],
            401: E[401],
            403: E[403],
            404: E[404],
            409: E[409],
            422: E[422],
            502: E[502],
            504: E[504],
          },
        }),
      },
      "/devices/{id}/config/push": {
        post: deviceAction("Retry: push the pending desired config (admins)", "Pushes the keys where the desired config differs from what the device was last made to hold.", "push", pushResultSchema),
      },
      "/devices/{id}/sync": {
        post: deviceAction(
          "Read from device (admins)",
          "Reads the device's config. First contact: it becomes the desired config and baseline. Later: compared with the baseline → state drifted with `drift`, or in_sync.",
          "sync",
          syncResultSchema,
        ),
      },
      "/devices/{id}/drift/adopt": {
        post: deviceAction("Adopt the device's values for the drifted keys (admins)", "Desired = baseline = what the device holds now.", "sync", syncResultSchema),
      },
      "/devices/{id}/drift/overwrite": {
        post: deviceAction("Overwrite the device: push the desired values of the drifted keys (admins)", "Same pipeline and errors as a push.", "push", pushResultSchema),
      },
      "/devices/{id}/status": {
        get: op({ summary: "Registration status, keep-alive health per proxy and recent transitions (newest first)", requestParams: idParam, responses: { 200: ok("Status", deviceStatusSchema), 401: E[401], 404: E[404] } }),
      },
      "/status/summary": {
        get: op({
          summary: "Fleet counts by registration state and their recent trend",
          responses: {
            200: ok("Counts and one sample per poll window (in memory, since the poller started)", z.object({ counts: jobCountsSchema, trend: z.array(jobCountsSchema.extend({ at: z.iso.datetime() })), intervalS: z.number().nullable() })),
            401: E[401],
          },
        }),
      },
      "/registrars": {
        get: op({ summary: "Registrars the portal reads bindings from, each with its last read", responses: { 200: ok("Registrars", z.array(registrarSchema)), 401: E[401] } }),
        post: op({
          summary: "Add a registrar (admins); it is read at once",
          description: "kind `kamailio`: `url` is Kamailio's JSON-RPC endpoint (modules jsonrpcs + xhttp), whose `ul.dump` lists every binding.",
          requestBody: { content: jsonContent(registrarInputSchema) },
          responses: { 201: ok("Added", registrarSchema), 401: E[401], 403: E[403], 409: E[409], 422: E[422] },
        }),
      },
      "/registrars/{id}": {
        get: op({ summary: "One registrar and the bindings of its last successful read", requestParams: registrarIdParam, responses: { 200: ok("Registrar", registrarSchema.extend({ bindings: z.array(registrarContactSchema).nullable() })), 401: E[401], 404: E[404] } }),
        delete: op({ summary: "Remove a registrar (admins)", requestParams: registrarIdParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }),
      },
      "/proxies": {
        get: op({
          summary: "Every proxy address the fleet is configured with (primary, redundant, registrar, outbound), probed by SIP OPTIONS",
          description: "The portal sends OPTIONS from its own UDP socket (RFC 3261 retransmissions) every PROXY_PROBE_INTERVAL_S; any SIP response is up.",
          responses: { 200: ok("Proxies", z.array(proxySchema)), 401: E[401] },
        }),
      },
      "/proxies/{address}": {
        get: op({
          summary: "One proxy: up/down timeline, recent probes and the phones that depend on it",
          requestParams: { path: z.object({ address: z.string().meta({ description: "host:port, URL-encoded", example: "10.0.0.5%3A5060" }) }) },
          responses: { 200: ok("Proxy", proxyDetailSchema), 401: E[401], 404: E[404] },
        }),
      },
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
        post: op({ summary: "Put every phone of a site in or out of maintenance (admins)", requestBody: { content: jsonContent(siteMaintenanceSchema) }, responses: { 200: ok("Updated", z.object({ site: z.string(), maintenance: z.boolean(), devices: z.number().int() })), 401: E[401], 403: E[403], 422: E[422] } }),
      },
      "/poller": { get: op({ summary: "Status poller health (last window, totals, errors by code)", responses: { 200: ok("Health", pollerHealthSchema), 401: E[401] } }) },
      "/events": {
        get: op({
          summary: "Server-Sent Events: `status` (a device's registration changed) and `job` (bulk job progress)",
          description: "text/event-stream; `retry:` 2 s, a comment heartbeat every 15 s, `event: ready` on connect. Load snapshots over REST and refetch them after a reconnect.",
          responses: { 200: { description: "Event stream", content: { "text/event-stream": { schema: z.string() } } }, 401: E[401] },
        }),
      },
      "/devices/{id}/revisions": {
        get: op({ summary: "Config snapshots (every successful push and sync), newest first", requestParams: idParam, responses: { 200: ok("Revisions", z.array(revisionSchema)), 401: E[401], 404: E[404] } }),
      },
      "/devices/{id}/revisions/{rid}": {
        get: op({ summary: "One revision with its full values (secrets masked)", requestParams: ridParam, responses: { 200: ok("Revision", revisionSchema.extend({ values: z.record(z.string(), z.union([z.string(), z.number()])) })), 401: E[401], 404: E[404] } }),
      },
      "/devices/{id}/revisions/{rid}/restore": {
        post: op({
          summary: "Restore a revision as a new push (admins)",
          description: "Pushes the snapshot's applicable, non-secret values where the device differs (source restore). Answers like the config PATCH.",
          requestParams: ridParam,
          responses: {
            200: ok("Restored", z.object({ values: configValuesSchema, revision: z.number().int(), deviceRevision: z.number().int().nullable(), state: configStateSchema, push: z.object({}).passthrough() })),
            401: E[401],
            403: E[403],
            404: E[404],
            409: err("The device was changed meanwhile (conflict)"),
            422: err("Rejected by the portal's validation or by the device (validation_failed, rejected_by_device)"),
            502: err("Device unreachable or failing (unreachable, unauthorized, malformed_reply, device_error, verify_failed)"),
            504: err("Device timeout (timeout)"),
          },
        }),
      },
      "/devices/{id}/config.cfg": {
        get: op({
          summary: "Backup: the device's current config read live, as key=value lines (secrets masked)",
          requestParams: idParam,
          responses: { 200: { description: "config.cfg (attachment)", content: { "text/plain": { schema: z.string() } } }, 401: E[401], 404: E[404], 502: err("Device unreachable"), 504: err("Device timeout") },
        }),
      },
      "/devices/{id}/config.cfg/preview": {
        post: op({
          summary: "Upload step 1: parse and validate a config.cfg; stores and pushes nothing",
          description: "Comments (#, ;) and blank lines are ignored; malformed lines, unknown keys and catalog violations are row errors with line numbers. Push the diff with PATCH /devices/{id}/config.",
          requestParams: idParam,
          requestBody: { content: { "text/plain": { schema: z.string() } } },
          responses: {
            200: ok("Diff against the desired config", z.object({ diff: changesSchema, errors: z.array(z.object({ line: z.number().int(), key: z.string().optional(), message: z.string() })).optional() })),
            401: E[401],
            404: E[404],
            413: err("File too large (payload_too_large)"),
          },
        }),
      },
      "/audit": {
        get: op({
          summary: "Audit log, newest first (admins and viewers)",
          requestParams: { query: auditQuerySchema },
          responses: { 200: ok("A page of entries", z.object({ items: z.array(auditItemSchema), total: z.number().int() })), 401: E[401], 422: E[422] },
        }),
      },
      "/jobs": {
        get: op({ summary: "Recent push jobs", responses: { 200: ok("Jobs, newest first", z.object({ items: z.array(jobSummarySchema) })), 401: E[401] } }),
        post: op({
          summary: "Start a bulk push job (admins)",
          description: "Selection as `selection`, or `deviceIds` / `filter` at the top level. Devices whose merged config would be invalid are recorded as skipped (error `invalid`).",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema.optional(), deviceIds: z.array(z.uuid()).optional(), filter: selectionFilterSchema.optional(), values: bulkValuesSchema, reason: z.string().max(500).optional() })) },
          responses: { 201: ok("Created; runs in the background", z.object({ id: z.uuid(), counts: jobCountsSchema })), 400: E[400], 401: E[401], 403: E[403], 422: E[422] },
        }),
      },
      "/jobs/preview": {
        post: op({
          summary: "Per-device preview of a bulk change (nothing is sent)",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema, values: bulkValuesSchema })) },
          responses: { 200: ok("Per-device diff", previewSchema), 401: E[401], 422: E[422] },
        }),
      },
      "/jobs/preview.csv": {
        post: op({ summary: "The preview as CSV (device, status, key, from, to, error)", requestBody: { content: jsonContent(z.object({ selection: selectionSchema, values: bulkValuesSchema })) }, responses: { 200: csv("CSV"), 401: E[401], 422: E[422] } }),
      },
      "/jobs/common": {
        post: op({
          summary: "Common value of each key across the selection (or mixed)",
          requestBody: { content: jsonContent(z.object({ selection: selectionSchema, keys: z.array(z.string()) })) },
          responses: { 200: ok("Per key", z.object({ total: z.number().int(), values: z.record(z.string(), z.object({ common: z.boolean(), value: z.union([z.string(), z.number()]).nullable() })) })), 401: E[401], 422: E[422] },
        }),
      },
      "/jobs/{id}": { get: op({ summary: "A job with counts and per-device targets", requestParams: jobIdParam, responses: { 200: ok("The job", jobSchema), 401: E[401], 404: E[404] } }) },
      "/jobs/{id}/cancel": { post: op({ summary: "Cancel: queued targets are cancelled, running ones finish (admins)", requestParams: jobIdParam, responses: { 200: ok("Cancelled", jobSummarySchema), 401: E[401], 403: E[403], 404: E[404], 409: E[409] } }) },
      "/jobs/{id}/retry": { post: op({ summary: "Queue the failed targets again (admins)", requestParams: jobIdParam, responses: { 200: ok("Running again", jobSummarySchema), 401: E[401], 403: E[403], 404: E[404], 409: err("No failed targets") } }) },
      "/jobs/{id}/report.csv": { get: op({ summary: "Per-device report (state, attempts, error, before/after per key)", requestParams: jobIdParam, responses: { 200: csv("CSV"), 401: E[401], 404: E[404] } }) },
      "/jobs/{id}/events": { get: op({ summary: "Progress as server-sent events (`event: job`, data {jobId, state, done, total, counts})", requestParams: jobIdParam, responses: { 200: { description: "text/event-stream" }, 401: E[401], 404: E[404] } }) },
      "/openapi.json": { get: op({ summary: "This document", security: [], responses: { 200: { description: "OpenAPI 3.1" } } }) },
    },
  }));
}
