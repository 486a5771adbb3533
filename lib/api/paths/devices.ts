// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { deviceInputSchema, devicePatchSchema } from "@/lib/inventory/device-input";
import { deviceQuerySchema } from "@/lib/inventory/devices";
import { deviceListSchema, deviceSchema } from "@/lib/inventory/schemas";
import { E, err, idParam, ok, op, jsonContent, type Paths } from "../doc";

const deviceIdParam = idParam("Device");

export const devicePaths: Paths = {
      "/devices": {
        get: op({
          summary: "List devices",
          requestParams: { query: deviceQuerySchema },
          responses: { 200: ok("A page of devices", deviceListSchema), 401: E[401], 422: E[422] },
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
        get: op({ summary: "One device", requestParams: deviceIdParam, responses: { 200: ok("The device", deviceSchema), 401: E[401], 404: E[404] } }),
        patch: op({
          summary: "Change a device (admins); absent fields are kept, an absent password keeps the stored one",
          requestParams: deviceIdParam,
          requestBody: { content: jsonContent(devicePatchSchema.meta({ id: "DevicePatch" })) },
          responses: { 200: ok("Updated", deviceSchema), 401: E[401], 403: E[403], 404: E[404], 409: E[409], 422: E[422] },
        }),
        delete: op({ summary: "Remove a device (admins)", requestParams: deviceIdParam, responses: { 204: { description: "Removed" }, 401: E[401], 403: E[403], 404: E[404] } }),
      },
};
