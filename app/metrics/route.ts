import { handler } from "@/lib/api/handler";
import { authenticateRequest } from "@/lib/auth";
import { isMetricsToken, renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

/** Prometheus text format, for a signed-in session or `Authorization: Bearer $METRICS_TOKEN`. */
export const GET = handler(
  async (req) => {
    if (!isMetricsToken(req)) await authenticateRequest(req);
    const { body, contentType } = await renderMetrics();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
  { auth: "public" },
);
