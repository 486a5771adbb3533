import { handler, json, userOf } from "@/lib/api/handler";
import { cancelJob } from "@/lib/jobs";

export const POST = handler<{ id: string }>(async (_req, ctx) => json(await cancelJob(ctx.params.id, userOf(ctx).username)), { auth: "admin" });
