import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { createView, listViews, savedViewListSchema, savedViewSchema } from "@/lib/views";

/** The signed-in user's saved device-list views, by name (viewers too: a view changes nothing but their own list). */
export const GET = handler(async (_req, ctx) => reply(savedViewListSchema, { views: await listViews(userOf(ctx)) }));

/** `{name, filter, sort, dir, columns}` → 201 the saved view; 409 when the user has a view of that name. */
export const POST = handler(async (req, ctx) => reply(savedViewSchema, await createView(await readJson(req), userOf(ctx)), 201));
