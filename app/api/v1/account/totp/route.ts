import { handler, reply, userOf } from "@/lib/api/handler";
import { startTotp, totpStatus } from "@/lib/auth";
import { totpSetupSchema, totpStatusSchema } from "@/lib/auth/schemas";

/** Whether the signed-in user has two-step sign-in on. */
export const GET = handler(async (_req, ctx) => reply(totpStatusSchema, await totpStatus(userOf(ctx))));

/** Starts a set-up (admins): a new secret, shown this once; it is active after POST …/confirm. */
export const POST = handler(async (_req, ctx) => reply(totpSetupSchema, await startTotp(userOf(ctx))), { auth: "admin", body: "auth" });
