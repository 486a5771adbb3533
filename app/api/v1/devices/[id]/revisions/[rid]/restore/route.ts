import { handler, json, userOf } from "@/lib/api/handler";
import { restoreRevision } from "@/lib/revisions";

type P = { id: string; rid: string };

/** Pushes the snapshot's values again (source "restore"); answers like the config PATCH. */
export const POST = handler<P>(
  async (_req, ctx) => {
    const r = await restoreRevision(ctx.params.id, ctx.params.rid, userOf(ctx).username);
    return json(r, 200, { etag: `"${r.revision}"` });
  },
  { auth: "admin" },
);
