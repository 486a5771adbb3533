// Part of the OpenAPI document (registered in lib/api/openapi.ts).
import { createdTokenSchema, tokenInputSchema, tokenListSchema } from "@/lib/auth/schemas";
import { E, idParam, jsonContent, ok, op, type Paths } from "../doc";

export const tokenPaths: Paths = {
  "/tokens": {
    get: op({ summary: "List API tokens (admins, signed in)", responses: { 200: ok("Tokens (never their values)", tokenListSchema), 401: E[401], 403: E[403] } }),
    post: op({
      summary: "Create an API token (admins, signed in)",
      description:
        "The token (`sapt_…`) is in this reply only; the portal stores its hash. Send it as `Authorization: Bearer <token>`. A read token gets 403 on every change; a write token acts as its creator. Requests made with a token are audited as `owner (token name)`. Tokens cannot create or revoke tokens.",
      requestBody: { content: jsonContent(tokenInputSchema) },
      responses: { 201: ok("Created", createdTokenSchema), 400: E[400], 401: E[401], 403: E[403], 413: E[413], 422: E[422] },
    }),
  },
  "/tokens/{id}": {
    delete: op({
      summary: "Revoke an API token (admins, signed in): its next request is a 401",
      requestParams: idParam("Token"),
      responses: { 204: { description: "Revoked" }, 401: E[401], 403: E[403], 404: E[404] },
    }),
  },
};
