// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { totpCodeSchema, totpSetupSchema, totpStatusSchema } from "@/lib/auth/schemas";
import { E, err, jsonContent, ok, op, type Paths } from "../doc";

const codeBody = { content: jsonContent(totpCodeSchema.meta({ id: "TotpCode" })) };

export const accountPaths: Paths = {
  "/account/totp": {
    get: op({ summary: "Whether the signed-in user has two-step sign-in (TOTP) on", responses: { 200: ok("Status", totpStatusSchema), 401: E[401] } }),
    post: op({
      summary: "Start setting up two-step sign-in (any signed-in user, for their own account; not with an API token)",
      description:
        "Returns a new secret (and its otpauth:// URI) for an authenticator app, shown this once; it becomes active with POST /account/totp/confirm. Once on, POST /session needs `code` as well (401 totp_required without it).",
      responses: { 200: ok("The secret", totpSetupSchema), 401: E[401], 403: E[403], 409: err("Already on (conflict)") },
    }),
  },
  "/account/totp/confirm": {
    post: op({ summary: "Turn two-step sign-in on with the app's first code", requestBody: codeBody, responses: { 200: ok("On", totpStatusSchema), 401: E[401], 403: E[403], 409: err("No set-up started (conflict)"), 422: E[422] } }),
  },
  "/account/totp/disable": {
    post: op({ summary: "Turn two-step sign-in off (needs a current code)", requestBody: codeBody, responses: { 200: ok("Off", totpStatusSchema), 401: E[401], 403: E[403], 422: E[422] } }),
  },
};
