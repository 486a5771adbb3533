import { handler, json, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import { overwriteDrift, pushApiError } from "@/lib/push";

type P = { id: string };

/** Overwrite device: push the desired values of the drifted keys back. */
export const POST = handler<P>(
  async (_req, ctx) => {
    const pushed = await overwriteDrift(ctx.params.id, userOf(ctx).username);
    if (!pushed.ok) throw pushApiError(pushed.error);
    return json({ ...(await getPublicConfig(ctx.params.id)), push: pushed });
  },
  { auth: "admin" },
);
