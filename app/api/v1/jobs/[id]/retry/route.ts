import { handler, json, userOf } from "@/lib/api/handler";
import { retryJob, wakeJobRunner } from "@/lib/jobs";

export const POST = handler<{ id: string }>(
  async (_req, ctx) => {
    const job = await retryJob(ctx.params.id, userOf(ctx).username);
    wakeJobRunner();
    return json(job);
  },
  { auth: "admin" },
);
