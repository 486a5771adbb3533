// Reply shape of one audit entry. Pure zod.
import { z } from "zod";

export const auditItemSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.string().meta({ example: "config.push" }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    targetName: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    jobEntries: z.number().int().optional().meta({ description: "With groupJobs: per-device entries of this job (job.push only)" }),
  })
  .meta({ id: "AuditEntry" });

