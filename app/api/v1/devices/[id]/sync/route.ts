import { handler, json, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import { pushApiError, syncFromDevice } from "@/lib/push";

type P = { id: string };

/** "Read from device": import (first contact) or compare with the baseline (drift). Admins only: it records. */
export const POST = handler<P>(
  async (_req, ctx) => {
    const synced = await syncFromDevice(ctx.params.id, userOf(ctx).username);
    if (!synced.ok) throw pushApiError(synced.error);
    return json({ ...(await getPublicConfig(ctx.params.id)), sync: synced });
  },
  { auth: "admin" },
);
