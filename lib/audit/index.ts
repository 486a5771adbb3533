// The audit trail's read side: filtered, paginated on the server (newest first). Writers use lib/db/audit.
import "server-only";
import { and, count, desc, eq, gte, ilike, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { auditLog, devices } from "@/lib/db/schema";
import type { AuditItem } from "./types";

export type { AuditItem };

const date = (what: string) =>
  z.coerce.date({ error: `${what} must be a date or date-time (ISO 8601)` }).optional();

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(100).optional().meta({ description: "Part of the username (case-insensitive)" }),
  action: z.string().trim().max(60).optional().meta({ description: 'An action ("config.push") or a family ("config" = config.*)' }),
  target: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: 'A target id, a type ("device", "user", "job"), "type:id", or a device name' }),
  from: date("from").meta({ description: "Entries at or after this time" }),
  to: date("to").meta({ description: "Entries at or before this time" }),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(500).default(50),
  offset: z.coerce.number({ error: "offset must be a number" }).int().min(0).default(0),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;


const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);

function conditions(q: z.output<typeof auditQuerySchema>): SQL | undefined {
  const conds: SQL[] = [];
  if (q.actor) conds.push(ilike(auditLog.actor, `%${likeEscape(q.actor)}%`));
  if (q.action) conds.push(or(eq(auditLog.action, q.action), sql`${auditLog.action} like ${likeEscape(q.action) + ".%"}`)!);
  if (q.target) {
    const colon = q.target.indexOf(":");
    if (colon > 0) {
      conds.push(and(eq(auditLog.targetType, q.target.slice(0, colon)), eq(auditLog.targetId, q.target.slice(colon + 1)))!);
    } else {
      conds.push(or(eq(auditLog.targetId, q.target), eq(auditLog.targetType, q.target), sql`lower(${devices.name}) = lower(${q.target})`)!);
    }
  }
  if (q.from) conds.push(gte(auditLog.at, q.from));
  if (q.to) conds.push(lte(auditLog.at, q.to));
  return conds.length ? and(...conds) : undefined;
}

// Device targets get their name (a deleted device keeps only its id in the trail).
const deviceJoin = and(eq(auditLog.targetType, "device"), eq(auditLog.targetId, sql`${devices.id}::text`));

export async function queryAudit(query: AuditQuery = {}): Promise<{ items: AuditItem[]; total: number }> {
  const q = auditQuerySchema.parse(query);
  const where = conditions(q);
  const db = await getDb();
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ entry: auditLog, targetName: devices.name })
      .from(auditLog)
      .leftJoin(devices, deviceJoin)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ total: count() }).from(auditLog).leftJoin(devices, deviceJoin).where(where),
  ]);
  return {
    total: Number(total),
    items: rows.map(({ entry: e, targetName }) => ({
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      targetName: targetName ?? null,
      details: e.details,
    })),
  };
}
