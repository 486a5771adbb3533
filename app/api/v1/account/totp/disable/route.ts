import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { disableTotp } from "@/lib/auth";
import { totpStatusSchema } from "@/lib/auth/schemas";

/** `{code}`: a current code turns two-step sign-in off. */
export const POST = handler(
  async (req, ctx) => reply(totpStatusSchema, await disableTotp(userOf(ctx), await readJson(req))),
  { body: "auth" },
);
