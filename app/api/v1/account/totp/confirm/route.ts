import { handler, readJson, reply, userOf } from "@/lib/api/handler";
import { confirmTotp } from "@/lib/auth";
import { totpStatusSchema } from "@/lib/auth/schemas";

/** `{code}`: the first code from the authenticator app turns two-step sign-in on. */
export const POST = handler(
  async (req, ctx) => reply(totpStatusSchema, await confirmTotp(userOf(ctx), await readJson(req))),
  { body: "auth" },
);
