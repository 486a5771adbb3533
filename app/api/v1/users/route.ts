import { handler, json, parseWith, readJson, userOf } from "@/lib/api/handler";
import { createUser, listUsers, userInputSchema } from "@/lib/auth";

export const GET = handler(async () => json({ items: await listUsers() }), { auth: "admin" });

export const POST = handler(
  async (req, ctx) => {
    const input = parseWith(userInputSchema, await readJson(req));
    return json(await createUser(input, userOf(ctx).username), 201);
  },
  { auth: "admin" },
);
