import { handler, json } from "@/lib/api/handler";
import { listRevisions } from "@/lib/revisions";

type P = { id: string };

/** The device's config snapshots, newest first (without full values). */
export const GET = handler<P>(async (_req, { params }) => json(await listRevisions(params.id)));
