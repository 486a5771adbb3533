// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { savedViewInputSchema, savedViewListSchema, savedViewSchema } from "@/lib/views/schemas";
import { E, idParam, jsonContent, ok, op, type Paths } from "../doc";

export const viewPaths: Paths = {
  "/views": {
    get: op({ summary: "The signed-in user's saved device-list views (a named filter, sort and column set), by name", responses: { 200: ok("Views", savedViewListSchema), 401: E[401] } }),
    post: op({
      summary: "Save a device-list view for the signed-in user (viewers too)",
      requestBody: { content: jsonContent(savedViewInputSchema) },
      responses: { 201: ok("Saved", savedViewSchema), 400: E[400], 401: E[401], 409: E[409], 413: E[413], 422: E[422] },
    }),
  },
  "/views/{id}": {
    delete: op({ summary: "Delete one of your saved views (another user's is not found)", requestParams: idParam("Saved view"), responses: { 204: { description: "Deleted" }, 401: E[401], 404: E[404] } }),
  },
};
