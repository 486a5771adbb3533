import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { createApiToken, listApiTokens } from "@/lib/auth";
import { createdTokenSchema, tokenListSchema } from "@/lib/auth/schemas";

/** Admins (signed in, not with a token): the API tokens, never their values. */
export const GET = handler(async (_req, ctx) => reply(tokenListSchema, { tokens: await listApiTokens(userOf(ctx)) }), { auth: "admin" });

/** `{name, scope: "read"|"write", expiresAt?}` → 201 `{id, token, …}`; the token is shown this once. */
export const POST = handler(async (req, ctx) => reply(createdTokenSchema, await createApiToken(await readJson(req), userOf(ctx)), 201), { auth: "admin", body: "auth" });
