// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { configPatchValuesSchema, configSchema, configValuesSchema } from "@/lib/config-store/schemas";
import { pushResultSchema, syncResultSchema } from "@/lib/push/schemas";
import { changesSchema, revisionSchema } from "@/lib/revisions/schemas";
import { configStateSchema } from "@/lib/states";
import { E, err, idParam, ok, op, jsonContent, type Paths } from "../doc";

const deviceIdParam = idParam("Device");
const ridParam = { path: z.object({ id: z.uuid().meta({ description: "Device id" }), rid: z.string().meta({ description: "Revision id" }) }) };

/** A POST action on one device (admins) that talks to the device. */
const deviceAction = (summary: string, description: string, key: "push" | "sync", schema: z.ZodType) =>
  op({
    summary,
    description,
    requestParams: deviceIdParam,
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

export const configPaths: Paths = {
      "/devices/{id}/config": {
        get: op({ summary: "Desired configuration (secrets null)", requestParams: deviceIdParam, responses: { 200: ok("Config; ETag = revision", configSchema), 401: E[401], 404: E[404] } }),
        patch: op({
          summary: "Change configuration values and push them to the device (admins)",
          description:
            "Validated with the catalog on the merged config; any error → 422 validation_failed with `fields` and nothing stored. Optional `revision` (or If-Match) → 409 when someone saved meanwhile. Then stored as the desired config and pushed: only changed keys, PATCH with If-Match, verified by read-back. A device rejection → 422 rejected_by_device; a device failure → 502/504 with the desired config kept pending (state push_failed, lastError); POST …/config/push retries.",
          requestParams: { ...deviceIdParam, header: z.object({ "if-match": z.string().optional() }) },
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
      "/devices/{id}/revisions": {
        get: op({ summary: "Config snapshots (every successful push and sync), newest first", requestParams: deviceIdParam, responses: { 200: ok("Revisions", z.array(revisionSchema)), 401: E[401], 404: E[404] } }),
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
          requestParams: deviceIdParam,
          responses: { 200: { description: "config.cfg (attachment)", content: { "text/plain": { schema: z.string() } } }, 401: E[401], 404: E[404], 502: err("Device unreachable"), 504: err("Device timeout") },
        }),
      },
      "/devices/{id}/config.cfg/preview": {
        post: op({
          summary: "Upload step 1: parse and validate a config.cfg; stores and pushes nothing",
          description: "Comments (#, ;) and blank lines are ignored; malformed lines, unknown keys and catalog violations are row errors with line numbers. Push the diff with PATCH /devices/{id}/config.",
          requestParams: deviceIdParam,
          requestBody: { content: { "text/plain": { schema: z.string() } } },
          responses: {
            200: ok("Diff against the desired config", z.object({ diff: changesSchema, errors: z.array(z.object({ line: z.number().int(), key: z.string().optional(), message: z.string() })).optional() })),
            401: E[401],
            404: E[404],
            413: err("File too large (payload_too_large)"),
          },
        }),
      },
};
