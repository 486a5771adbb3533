import { handler, userOf } from "@/lib/api/handler";
import { removeAlertChannel } from "@/lib/alerts";

export const DELETE = handler<{ id: string }>(
  async (_req, ctx) => {
    await removeAlertChannel("webhook", ctx.params.id, userOf(ctx).username);
    return new Response(null, { status: 204 });
  },
  { auth: "admin" },
);
