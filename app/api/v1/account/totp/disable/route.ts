import { handler, parseWith, readJson, reply, userOf } from "@/lib/api/handler";
import { disableTotp } from "@/lib/auth";
import { totpCodeSchema, totpStatusSchema } from "@/lib/auth/schemas";

/** `{code}`: a current code turns two-step sign-in off. */
export const POST = handler(
  async (req, ctx) => reply(totpStatusSchema, await disableTotp(userOf(ctx), parseWith(totpCodeSchema, await readJson(req)).code)),
  { auth: "admin", body: "auth" },
);
