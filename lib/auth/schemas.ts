// Reply shapes of the users API (the OpenAPI document and the handlers share them). Pure zod.
import { z } from "zod";
import { apiTokenScopeSchema, roleSchema } from "@/lib/states";

export const userSchema = z.object({ id: z.uuid(), username: z.string(), role: roleSchema }).meta({ id: "User" });
export const listedUserSchema = userSchema
  .extend({ createdAt: z.iso.datetime(), totp: z.boolean().meta({ description: "Two-step sign-in (TOTP) is on" }) })
  .meta({ id: "ListedUser" });
export type UserReply = z.infer<typeof userSchema>;
export type ListedUser = z.infer<typeof listedUserSchema>;

// API tokens: the request, the listing (never the value) and the one reply that carries the value.
export const tokenInputSchema = z
  .object({
    name: z
      .string({ error: "Name is required" })
      .trim()
      .min(1, "Name is required")
      .max(64, "Name can be at most 64 characters")
      .regex(/^[\p{L}\p{N} ._@:/-]+$/u, "Name may contain letters, digits, spaces and . _ @ : / - only"),
    scope: apiTokenScopeSchema,
    expiresAt: z.iso
      .datetime({ offset: true, error: "expiresAt must be an ISO date-time, e.g. 2027-01-31T00:00:00Z" })
      .refine((v) => Date.parse(v) > Date.now(), { message: "expiresAt must be in the future" })
      .nullish(),
  })
  .strict()
  .meta({ id: "ApiTokenInput" });
export type TokenInput = z.input<typeof tokenInputSchema>;

export const listedTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scope: apiTokenScopeSchema,
    owner: z.string().meta({ description: "The admin who created it; the token acts as this user (read: as a viewer)" }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ApiToken" });
export type ListedToken = z.infer<typeof listedTokenSchema>;
export const tokenListSchema = z.object({ tokens: z.array(listedTokenSchema) });
export const createdTokenSchema = listedTokenSchema
  .extend({ token: z.string().meta({ description: "sapt_…: shown in this reply only (the portal stores its sha256)" }) })
  .meta({ id: "CreatedApiToken" });
export type CreatedToken = z.infer<typeof createdTokenSchema>;

// Two-step sign-in (TOTP) of the signed-in admin.
export const totpStatusSchema = z
  .object({ enabled: z.boolean(), pending: z.boolean().meta({ description: "A set-up was started and awaits its first code" }) })
  .meta({ id: "TotpStatus" });
export type TotpStatus = z.infer<typeof totpStatusSchema>;
export const totpSetupSchema = z
  .object({
    secret: z.string().meta({ description: "Base32 secret to type into an authenticator app (shown this once)" }),
    uri: z.string().meta({ description: "The same as an otpauth:// URI (for a QR code)" }),
  })
  .meta({ id: "TotpSetup" });
export type TotpSetup = z.infer<typeof totpSetupSchema>;
export const totpCodeSchema = z.object({ code: z.string({ error: "Enter the 6-digit code" }).trim().regex(/^\d{6}$/, "Enter the 6-digit code") }).strict();
