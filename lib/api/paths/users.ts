// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { z } from "zod";
import { userInputSchema, userPatchSchema } from "@/lib/auth/user-input";
import { listedUserSchema, userSchema } from "@/lib/auth/schemas";
import { E, err, idParam, ok, op, jsonContent, type Paths } from "../doc";

const userIdParam = idParam("User");

export const userPaths: Paths = {
      "/session": {
        post: op({
          summary: "Sign in",
          security: [],
          requestBody: { content: jsonContent(z.object({ username: z.string(), password: z.string(), code: z.string().optional().meta({ description: "6-digit code of the authenticator app, for accounts with two-step sign-in" }) })) },
          responses: {
            200: ok("Signed in; also sets the sap_session cookie", z.object({ user: userSchema, token: z.string() })),
            400: E[400],
            401: err("Wrong username or password, or a wrong two-step code (invalid_credentials); the right password for an account with two-step sign-in but no `code` (totp_required)"),
            422: E[422],
            429: err("Too many failed sign-ins for this username (too_many_attempts); see the Retry-After header (seconds)"),
          },
        }),
        get: op({ summary: "The signed-in user", responses: { 200: ok("The user", z.object({ user: userSchema })), 401: E[401] } }),
        delete: op({ summary: "Sign out", responses: { 204: { description: "Signed out; cookie cleared" }, 401: E[401] } }),
      },
      "/users": {
        get: op({ summary: "List users (admins)", responses: { 200: ok("Users", z.object({ items: z.array(listedUserSchema) })), 401: E[401], 403: E[403] } }),
        post: op({
          summary: "Create a user (admins)",
          requestBody: { content: jsonContent(userInputSchema.meta({ id: "UserInput" })) },
          responses: { 201: ok("Created", userSchema), 401: E[401], 403: E[403], 409: E[409], 422: E[422] },
        }),
      },
      "/users/{id}": {
        patch: op({
          summary: "Change a user's role and/or password (admins)",
          description: "A new password ends the user's sessions. Demoting the last admin → 409 conflict. Audited as user.update (never the password).",
          requestParams: userIdParam,
          requestBody: { content: jsonContent(userPatchSchema.meta({ id: "UserPatch" })) },
          responses: { 200: ok("Updated", listedUserSchema), 400: E[400], 401: E[401], 403: E[403], 404: E[404], 409: err("Would leave no admin (conflict)"), 422: E[422] },
        }),
        delete: op({
          summary: "Delete a user (admins); ends their sessions",
          description: "Deleting the last admin → 409 conflict; deleting yourself → 422. Audited as user.delete.",
          requestParams: userIdParam,
          responses: { 204: { description: "Deleted" }, 401: E[401], 403: E[403], 404: E[404], 409: err("Would leave no admin (conflict)"), 422: err("You cannot delete yourself") },
        }),
      },
      "/users/{id}/totp/reset": {
        post: op({
          summary: "Reset another user's two-step sign-in (admins, signed in)",
          description:
            "For a user who lost their authenticator: their TOTP secret (and any pending set-up) is removed, so their password alone signs in until they set it up again. Not for yourself (turn it off with a code) and not with an API token. Audited as totp.reset.",
          requestParams: userIdParam,
          responses: { 200: ok("The user, two-step sign-in off", listedUserSchema), 401: E[401], 403: E[403], 404: E[404], 409: err("The user has no two-step sign-in (conflict)"), 422: err("Your own account") },
        }),
      },
};
