import { handler, json, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import { pushApiError, pushPending } from "@/lib/push";

type P = { id: string };

/** Retry: push the stored (pending) desired config. */
export const POST = handler<P>(
  async (_req, ctx) => {
    const pushed = await pushPending(ctx.params.id, userOf(ctx).username);
    if (!pushed.ok) throw pushApiError(pushed.error);
    return json({ ...(await getPublicConfig(ctx.params.id)), push: pushed });
  },
  { auth: "admin" },
);
