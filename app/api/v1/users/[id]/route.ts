import { handler, json, parseWith, readJson, userOf } from "@/lib/api/handler";
import { deleteUser, updateUser, userPatchSchema } from "@/lib/auth";

type P = { id: string };

export const PATCH = handler<P>(
  async (req, ctx) => {
    const patch = parseWith(userPatchSchema, await readJson(req));
    return json(await updateUser(ctx.params.id, patch, userOf(ctx).username));
  },
  { auth: "admin" },
);

export const DELETE = handler<P>(
  async (_req, ctx) => {
    await deleteUser(ctx.params.id, userOf(ctx));
    return new Response(null, { status: 204 });
  },
  { auth: "admin" },
);
