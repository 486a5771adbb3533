import { handler, json, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import { adoptDrift, pushApiError } from "@/lib/push";

type P = { id: string };

/** Adopt device values: desired = baseline = what the device holds for the drifted keys. */
export const POST = handler<P>(
  async (_req, ctx) => {
    const adopted = await adoptDrift(ctx.params.id, userOf(ctx).username);
    if (!adopted.ok) throw pushApiError(adopted.error);
    return json({ ...(await getPublicConfig(ctx.params.id)), sync: adopted });
  },
  { auth: "admin" },
);
