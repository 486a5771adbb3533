// Reply shapes of push and sync results. Pure zod.
import { z } from "zod";
import { configStateSchema } from "@/lib/states";

export const pushResultSchema = z
  .object({
    ok: z.literal(true),
    deviceRevision: z.number().int(),
    before: z.record(z.string(), z.unknown()).meta({ description: "Changed keys on the device before the push (secrets masked)" }),
    after: z.record(z.string(), z.unknown()).meta({ description: "The same keys as read back after it" }),
    snapshotId: z.number().int(),
    noop: z.boolean(),
  })
  .meta({ id: "PushResult" });
export const syncResultSchema = z
  .object({ ok: z.literal(true), state: configStateSchema, drift: z.record(z.string(), z.unknown()), deviceRevision: z.number().int(), snapshotId: z.number().int(), firstContact: z.boolean() })
  .meta({ id: "SyncResult" });

