import { AppError } from "@/lib/errors";
import { handler, json, userOf } from "@/lib/api/handler";
import { createJob, listJobs, selectionOf, wakeJobRunner } from "@/lib/jobs";
import { readObject } from "./body";

export const GET = handler(async (req) => {
  const limit = Number(new URL(req.url).searchParams.get("limit") ?? 50);
  return json(await listJobs(Number.isFinite(limit) ? limit : 50));
});

export const POST = handler(
  async (req, ctx) => {
    const body = await readObject(req);
    if (body.reason !== undefined && typeof body.reason !== "string") throw new AppError("validation_failed", "reason must be text", { fields: { reason: "Must be text" } });
    const job = await createJob({ selection: selectionOf(body), values: body.values, reason: body.reason as string | undefined }, userOf(ctx).username);
    wakeJobRunner();
    return json(job, 201, { location: `/api/v1/jobs/${job.id}` });
  },
  { auth: "admin" },
);
