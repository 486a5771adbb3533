// Building blocks of the OpenAPI document shared by every path module (lib/api/paths/*): the error envelope,
// reply helpers and the common error responses. Pure zod: no handler imports.
import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from "zod-openapi";
import { ERROR_CODES } from "@/lib/errors";

export type Paths = ZodOpenApiPathsObject;

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ example: "validation_failed" }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: "Per-field messages (422 validation_failed)" }),
      rows: z
        .array(z.object({ row: z.number().int(), field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "Per-row errors of a CSV import (header = row 1)" }),
    }),
  })
  .meta({ id: "Error" });


export const jsonContent = (schema: z.ZodType) => ({ "application/json": { schema } });
export const ok = (description: string, schema: z.ZodType) => ({ description, content: jsonContent(schema) });
export const err = (description: string) => ({ description, content: jsonContent(errorSchema) });
export const E = {
  400: err("Malformed JSON (bad_request)"),
  401: err("No valid session (unauthenticated)"),
  403: err("Viewers cannot change anything (forbidden)"),
  404: err("Not found (not_found)"),
  409: err("Conflict (conflict)"),
  413: err("The request body is over this route's limit (payload_too_large); nothing was processed"),
  422: err("Invalid values (validation_failed) with per-field messages"),
  device422: err("The device rejected a value (rejected_by_device) with its own message per key in `fields`; nothing changed on the device"),
  device409: err("The device was changed meanwhile on a key being pushed (conflict); nothing was overwritten"),
  502: err("Device failure: unreachable, unauthorized, malformed_reply, device_error or verify_failed; the desired config stays pending"),
  504: err("The device did not answer in time (timeout); the desired config stays pending"),
};
/** A POST action on one device (admins) that talks to the device. */

export function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return o;
}

export const csv = (description: string) => ({ description, content: { "text/csv": { schema: z.string() } } });
export const sse = (description: string) => ({ description, content: { "text/event-stream": { schema: z.string() } } });
/** `{id}` path parameter of one kind of object. */
export const idParam = (what: string) => ({ path: z.object({ id: z.uuid().meta({ description: `${what} id` }) }) });
