// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { auditQuerySchema } from "@/lib/audit";
import { auditItemSchema } from "@/lib/audit/schemas";
import { E, ok, op, type Paths } from "../doc";

export const auditPaths: Paths = {
      "/audit": {
        get: op({
          summary: "Audit log, newest first (admins and viewers)",
          requestParams: { query: auditQuerySchema },
          responses: { 200: ok("A page of entries", z.object({ items: z.array(auditItemSchema), total: z.number().int() })), 401: E[401], 422: E[422] },
        }),
      },
};
