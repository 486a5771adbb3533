import { handler } from "@/lib/api/handler";
import { getJob, jobReportCsv } from "@/lib/jobs";

export const GET = handler<{ id: string }>(async (_req, ctx) => {
  const job = await getJob(ctx.params.id);
  return new Response(jobReportCsv(job), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="job-${job.id}.csv"` },
  });
});
