import { handler, json } from "@/lib/api/handler";
import { listDeliveries } from "@/lib/alerts";

export const dynamic = "force-dynamic";

/** The delivery log, newest first (`?limit=`, default 200, at most 1000). */
export const GET = handler(async (req) => json(await listDeliveries(Number(new URL(req.url).searchParams.get("limit") ?? 200) || 200)));
