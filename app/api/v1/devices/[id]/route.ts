import { deviceSchema } from "@/lib/inventory/schemas";
import { handler, json, reply, readJson, userOf } from "@/lib/api/handler";
import { deleteDevice, getDevice, updateDevice } from "@/lib/inventory/devices";

type P = { id: string };

export const GET = handler<P>(async (_req, { params }) => reply(deviceSchema, await getDevice(params.id)));

export const PATCH = handler<P>(
  async (req, ctx) => json(await updateDevice(ctx.params.id, await readJson(req), userOf(ctx).username)),
  { auth: "admin" },
);

export const DELETE = handler<P>(
  async (_req, ctx) => {
    await deleteDevice(ctx.params.id, userOf(ctx).username);
    return new Response(null, { status: 204 });
  },
  { auth: "admin" },
);
