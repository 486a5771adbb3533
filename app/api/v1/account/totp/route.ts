import { handler, reply, userOf } from "@/lib/api/handler";
import { startTotp, totpStatus } from "@/lib/auth";
import { totpSetupSchema, totpStatusSchema } from "@/lib/auth/schemas";

/** Whether the signed-in user has two-step sign-in on. */
export const GET = handler(async (_req, ctx) => reply(totpStatusSchema, await totpStatus(userOf(ctx))));

/** Starts a set-up (any signed-in user, for their own account): a new secret, shown this once; it is active after POST …/confirm. */
export const POST = handler(async (_req, ctx) => reply(totpSetupSchema, await startTotp(userOf(ctx))), { body: "auth" });
