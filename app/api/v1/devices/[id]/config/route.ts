import { z } from "zod";
import { AppError } from "@/lib/errors";
import { configSchema } from "@/lib/config-store/schemas";
import { handler, json, reply, parseWith, readJson, userOf } from "@/lib/api/handler";
import { getPublicConfig } from "@/lib/config-store";
import { pushError, saveDeviceConfig } from "@/lib/push";

type P = { id: string };

const bodySchema = z.object({
  values: z.record(z.string(), z.unknown(), { error: "values must be an object of parameter keys to values" }),
  /** Optional optimistic lock: the revision the edit was based on. */
  revision: z.number().int().min(0).optional(),
});

/** `If-Match: 3` or `If-Match: "3"` → 3. */
function ifMatch(req: Request): number | undefined {
  const h = req.headers.get("if-match");
  if (!h) return undefined;
  const n = Number(h.replace(/^W\//, "").replace(/"/g, "").trim());
  if (!Number.isInteger(n) || n < 0) throw new AppError("bad_request", "If-Match must be a configuration revision number");
  return n;
}

export const GET = handler<P>(async (_req, { params }) => {
  const c = await getPublicConfig(params.id);
  return reply(configSchema, c, 200, { etag: `"${c.revision}"` });
});

export const PATCH = handler<P>(
  async (req, ctx) => {
    const body = parseWith(bodySchema, await readJson(req));
    const actor = userOf(ctx).username;
    // The one save operation: checks (422/409 store nothing and contact no phone), first read, store, push, verify.
    const pushed = await saveDeviceConfig({ deviceId: ctx.params.id, changes: body.values, actor, expectedRevision: ifMatch(req) ?? body.revision });
    // A failed push keeps the desired config (state push_failed, lastError): the error answers, Retry pushes it.
    if (!pushed.ok) throw pushError(pushed.error);
    const c = await getPublicConfig(ctx.params.id);
    return json(
      { values: c.values, revision: c.revision, deviceRevision: c.deviceRevision, state: c.state, push: pushed },
      200,
      { etag: `"${c.revision}"` },
    );
  },
  { auth: "admin" },
);
