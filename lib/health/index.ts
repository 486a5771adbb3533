// GET /api/v1/health: `{status: "ok"}` for anyone (load balancers, uptime checks) once the database answers; a
// signed-in user also sees the database (engine, version, embedded or not) and the portal processes connected to it.
import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { databaseInfo, getDb } from "@/lib/db";
import { liveProcesses, PROCESS_KINDS } from "@/lib/db/presence";

export const healthSchema = z
  .object({
    status: z.literal("ok"),
    database: z
      .object({
        engine: z.literal("postgresql"),
        version: z.string().meta({ description: 'Server version, e.g. "15.18"' }),
        embedded: z.boolean().meta({ description: "true: the portal runs the server itself from DATA_DIR; false: DATABASE_URL" }),
      })
      .optional(),
    processes: z
      .array(
        z.object({
          kind: z.enum(PROCESS_KINDS),
          pid: z.number().int(),
          host: z.string(),
          poller: z.boolean().meta({ description: "Polls phones (POLLER not off)" }),
          jobs: z.boolean().meta({ description: "Runs push jobs (JOBS not off)" }),
          since: z.iso.datetime(),
        }),
      )
      .optional()
      .meta({ description: "Live portal processes (web and `npm run worker`): those with an open database connection" }),
  })
  .meta({ id: "Health" });
export type Health = z.infer<typeof healthSchema>;

export async function health(signedIn: boolean): Promise<Health> {
  const db = await getDb();
  await db.execute(sql`select 1`); // the database answers: otherwise the route's error is a 500/503, never "ok"
  if (!signedIn) return { status: "ok" };
  // `since` says when each started; the raw start time in its tag is the pollers' order, not part of the reply.
  const processes = (await liveProcesses(db)).map(({ startedAt: _, ...p }) => p);
  return { status: "ok", database: await databaseInfo(), processes };
}
