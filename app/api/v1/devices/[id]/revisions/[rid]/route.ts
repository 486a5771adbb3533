import { handler, json } from "@/lib/api/handler";
import { getRevision } from "@/lib/revisions";

type P = { id: string; rid: string };

/** One snapshot with its full values (secrets masked). */
export const GET = handler<P>(async (_req, { params }) => json(await getRevision(params.id, params.rid)));
