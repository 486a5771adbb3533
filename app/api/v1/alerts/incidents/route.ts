import { handler, json } from "@/lib/api/handler";
import { listOpenIncidents } from "@/lib/alerts";

export const dynamic = "force-dynamic";

/** Incidents open now (one per proxy down, phone failed over …), newest first. */
export const GET = handler(async () => json(await listOpenIncidents()));
