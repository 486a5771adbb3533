// Reply shapes of revisions (config snapshots). Pure zod.
import { z } from "zod";

export const changesSchema = z
  .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
  .meta({ id: "ConfigChanges", description: "{key: {from, to}}; secrets show as null/masked" });
export const revisionSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    source: z.enum(["push", "sync", "restore", "adopt", "job"]),
    deviceRevision: z.number().int().nullable(),
    changes: changesSchema,
    jobId: z.uuid().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: "Revision" });
