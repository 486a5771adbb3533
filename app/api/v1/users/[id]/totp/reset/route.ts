import { handler, reply, userOf } from "@/lib/api/handler";
import { resetTotp } from "@/lib/auth";
import { listedUserSchema } from "@/lib/auth/schemas";

type P = { id: string };

/** An admin turns another user's two-step sign-in off (lost authenticator); audited as totp.reset. */
export const POST = handler<P>(async (_req, ctx) => reply(listedUserSchema, await resetTotp(userOf(ctx), ctx.params.id)), { auth: "admin" });
