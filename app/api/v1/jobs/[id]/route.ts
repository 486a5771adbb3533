import { handler, json } from "@/lib/api/handler";
import { getJob } from "@/lib/jobs";

export const GET = handler<{ id: string }>(async (_req, ctx) => json(await getJob(ctx.params.id)));
