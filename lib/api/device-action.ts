// A POST route for one device action (retry push, sync, adopt, overwrite): admins only; answers the device's
// public config plus the action's result under `key`, or the classified error.
import "server-only";
import { getPublicConfig } from "@/lib/config-store";
import { pushError, type PushErrorInfo } from "@/lib/push";
import { handler, json, userOf } from "./handler";

type Outcome = { ok: true } | { ok: false; error: PushErrorInfo };

export function deviceActionRoute(key: "push" | "sync", run: (deviceId: string, actor: string) => Promise<Outcome>) {
  return handler<{ id: string }>(
    async (_req, ctx) => {
      const outcome = await run(ctx.params.id, userOf(ctx).username);
      if (!outcome.ok) throw pushError(outcome.error);
      return json({ ...(await getPublicConfig(ctx.params.id)), [key]: outcome });
    },
    { auth: "admin" },
  );
}
