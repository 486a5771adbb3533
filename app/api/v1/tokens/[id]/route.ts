import { handler, userOf } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/auth";

/** Revokes a token at once: its next request is a 401. */
export const DELETE = handler<{ id: string }>(
  async (_req, ctx) => {
    await revokeApiToken(ctx.params.id, userOf(ctx));
    return new Response(null, { status: 204 });
  },
  { auth: "admin" },
);
