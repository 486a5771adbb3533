// Shape of one audit entry as GET /api/v1/audit answers it. Pure types: the audit page imports them too.
export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The device's current name when the target is a device that still exists. */
  targetName: string | null;
  details: Record<string, unknown> | null;
  /** With `groupJobs`: the number of per-device entries of this job (job.push entries only). */
  jobEntries?: number;
}

/** The actor of what the portal does by itself (background reads, first contact, seeding). */
export const SYSTEM_ACTOR = "system";
