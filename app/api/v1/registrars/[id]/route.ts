import { handler, json, userOf } from "@/lib/api/handler";
import { deleteRegistrar, getRegistrar } from "@/lib/registrars";

export const dynamic = "force-dynamic";
type P = { id: string };

export const GET = handler<P>(async (_req, { params }) => json(await getRegistrar(params.id)));

export const DELETE = handler<P>(
  async (_req, ctx) => {
    await deleteRegistrar(ctx.params.id, userOf(ctx).username);
    return new Response(null, { status: 204 });
  },
  { auth: "admin" },
);
