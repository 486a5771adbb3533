// The rules for a user's fields, shared by the server (lib/auth/users.ts, the API) and the browser (/users forms).
// Pure: zod only.
import { z } from "zod";
import { ROLES } from "@/lib/states";

export const userInputSchema = z.object({
  username: z
    .string({ error: "Username is required" })
    .trim()
    .min(1, "Username is required")
    .max(64, "Username can be at most 64 characters")
    .regex(/^[A-Za-z0-9._@-]+$/, "Username may contain letters, digits and . _ @ - only"),
  password: z
    .string({ error: "Password is required" })
    .min(8, "Password must be at least 8 characters")
    .max(256, "Password can be at most 256 characters"),
  role: z.enum(ROLES, { error: 'Role must be "admin" or "viewer"' }),
});
export type UserInput = z.infer<typeof userInputSchema>;

/** PATCH /users/<id>: either field may be absent; the same rules as creating a user. */
export const userPatchSchema = z
  .object({ role: userInputSchema.shape.role.optional(), password: userInputSchema.shape.password.optional() })
  .strict();
export type UserPatch = z.infer<typeof userPatchSchema>;
