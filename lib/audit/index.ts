// The audit trail's read side: filtered, paginated on the server (newest first). Writers use lib/db/audit.
import "server-only";
import { and, count, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
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
  job: z.uuid({ error: "job must be a job id" }).optional().meta({ description: "Only the per-device entries written by this bulk job" }),
  groupJobs: z
    .union([z.boolean(), z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true")], { error: "groupJobs must be 1 or 0" })
    .optional()
    .meta({ description: "Leave out per-device entries of bulk jobs; each job.push entry carries their count (`jobEntries`) instead" }),
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
  if (q.job) conds.push(and(eq(auditLog.targetType, "device"), sql`${auditLog.details}->>'jobId' = ${q.job}`)!);
  else if (q.groupJobs) conds.push(sql`not (${auditLog.targetType} = 'device' and ${auditLog.details}->>'jobId' is not null)`);
  if (q.from) conds.push(gte(auditLog.at, q.from));
  // Times go out at millisecond precision while PostgreSQL keeps microseconds: "to" includes its whole millisecond.
  if (q.to) conds.push(lt(auditLog.at, new Date(q.to.getTime() + 1)));
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
  // Grouped: how many per-device entries each listed job holds (one query for the page's jobs).
  const jobIds = q.groupJobs ? rows.filter(({ entry: e }) => e.action === "job.push" && e.targetId).map(({ entry: e }) => e.targetId!) : [];
  const perJob = new Map<string, number>();
  if (jobIds.length) {
    const counted = await db
      .select({ jobId: sql<string>`${auditLog.details}->>'jobId'`, n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "device"), inArray(sql`${auditLog.details}->>'jobId'`, jobIds)))
      .groupBy(sql`${auditLog.details}->>'jobId'`);
    for (const c of counted) perJob.set(c.jobId, Number(c.n));
  }
  return {
    total: Number(total),
    items: rows.map(({ entry: e, targetName }) => ({
      ...(q.groupJobs && e.action === "job.push" && e.targetId ? { jobEntries: perJob.get(e.targetId) ?? 0 } : {}),
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
