import { handler, userOf } from "@/lib/api/handler";
import { deleteView } from "@/lib/views";

/** Deletes one of the user's own saved views (another user's is a 404). */
export const DELETE = handler<{ id: string }>(async (_req, ctx) => {
  await deleteView(ctx.params.id, userOf(ctx));
  return new Response(null, { status: 204 });
});
