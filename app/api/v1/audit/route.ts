import { handler, json, parseWith } from "@/lib/api/handler";
import { auditQuerySchema, queryAudit } from "@/lib/audit";

/** The audit trail, newest first, filtered and paginated on the server (admins and viewers). */
export const GET = handler(async (req) => {
  // An empty filter field means "no filter", not an invalid value.
  const params = [...new URL(req.url).searchParams].filter(([, v]) => v.trim() !== "");
  const query = parseWith(auditQuerySchema, Object.fromEntries(params));
  return json(await queryAudit(query));
});
