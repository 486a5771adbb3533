import "server-only";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import { userInputSchema } from "@/lib/auth/users";
import { deviceInputSchema, devicePatchSchema } from "@/lib/inventory/device-input";
import { deviceQuerySchema } from "@/lib/inventory/devices";
import { CATALOG, type ParamDef } from "@/lib/params";

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

const userSchema = z.object({ id: z.uuid(), username: z.string(), role: z.enum(["admin", "viewer"]) }).meta({ id: "User" });

const deviceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().meta({ description: "host:port of the device's HTTP config API" }),
    username: z.string(),
    hasPassword: z.boolean().meta({ description: "The password itself is write-only" }),
    site: z.string(),
    tags: z.array(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
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

const configStateSchema = z.enum(["never_pushed", "pending_push", "in_sync", "drifted", "push_failed"]);
const configSchema = z
  .object({
    values: configValuesSchema,
    revision: z.number().int().meta({ description: "Portal-side revision of the desired config" }),
    state: configStateSchema,
    syncedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: "DeviceConfig" });

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
};
const idParam = { path: z.object({ id: z.uuid().meta({ description: "Device id" }) }) };

function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return o;
}

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
          },
        }),
        get: op({ summary: "The signed-in user", responses: { 200: ok("The user", z.object({ user: userSchema })), 401: E[401] } }),
        delete: op({ summary: "Sign out", responses: { 204: { description: "Signed out; cookie cleared" }, 401: E[401] } }),
      },
      "/users": {
        get: op({ summary: "List users (admins)", responses: { 200: ok("Users", z.object({ items: z.array(userSchema) })), 401: E[401], 403: E[403] } }),
        post: op({
          summary: "Create a user (admins)",
          requestBody: { content: jsonContent(userInputSchema.meta({ id: "UserInput" })) },
          responses: { 201: ok("Created", userSchema), 401: E[401], 403: E[403], 409: E[409], 422: E[422] },
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
          description: 'Columns name,address,username,password,site,tags (tags separated by ";"). Any bad row → 422 csv_invalid with `rows`; nothing stored.',
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
          summary: "Change configuration values (admins)",
          description: "Validated with the catalog on the merged config; any error → 422 with `fields` and nothing stored. Optional `revision` (or If-Match) → 409 when someone saved meanwhile.",
          requestParams: { ...idParam, header: z.object({ "if-match": z.string().optional() }) },
          requestBody: { content: jsonContent(z.object({ values: configPatchValuesSchema, revision: z.number().int().optional() })) },
          responses: {
            200: ok("Saved", z.object({ values: configValuesSchema, revision: z.number().int(), state: configStateSchema })),
            400: E[400],
            401: E[401],
            403: E[403],
            404: E[404],
            409: E[409],
            422: E[422],
          },
        }),
      },
      "/openapi.json": { get: op({ summary: "This document", security: [], responses: { 200: { description: "OpenAPI 3.1" } } }) },
    },
  }));
}
