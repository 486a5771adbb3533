// How a push/sync failure answers over REST (the contract in ARCHITECTURE.md → Push).
import { ApiError, type ErrorCode } from "@/lib/api/errors";
import { handler, json, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import type { PushErrorInfo } from "./store";

/** 422 rejections and portal validation, 409 concurrent change, 504 timeout, 502 every other device failure. */
export function pushErrorStatus(code: string): number {
  if (code === "rejected" || code === "validation_failed") return 422;
  if (code === "conflict") return 409;
  if (code === "timeout") return 504;
  return 502;
}

export function pushApiError(error: PushErrorInfo): ApiError {
  const code = (error.code === "rejected" ? "rejected_by_device" : error.code) as ErrorCode;
  return new ApiError(pushErrorStatus(error.code), code, error.message, {
    retryable: error.retryable,
    ...(error.fields ? { fields: error.fields } : {}),
  });
}

type Outcome = { ok: true } | { ok: false; error: PushErrorInfo };

/**
 * A POST route for one device action (retry push, sync, adopt, overwrite): admins only; answers the device's
 * public config plus the action's result under `key`, or the classified error.
 */
export function deviceActionRoute(key: "push" | "sync", run: (deviceId: string, actor: string) => Promise<Outcome>) {
  return handler<{ id: string }>(
    async (_req, ctx) => {
      const outcome = await run(ctx.params.id, userOf(ctx).username);
      if (!outcome.ok) throw pushApiError(outcome.error);
      return json({ ...(await getPublicConfig(ctx.params.id)), [key]: outcome });
    },
    { auth: "admin" },
  );
}
