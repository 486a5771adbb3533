import { handler, json, userOf } from "@/lib/api/handler";
import { retryJob, startJobRunner } from "@/lib/jobs";

export const POST = handler<{ id: string }>(
  async (_req, ctx) => {
    const job = await retryJob(ctx.params.id, userOf(ctx).username);
    startJobRunner().wake();
    return json(job);
  },
  { auth: "admin" },
);
