// Reply shapes of the users API (the OpenAPI document and the handlers share them). Pure zod.
import { z } from "zod";
import { roleSchema } from "@/lib/states";

export const userSchema = z.object({ id: z.uuid(), username: z.string(), role: roleSchema }).meta({ id: "User" });
export const listedUserSchema = userSchema.extend({ createdAt: z.iso.datetime() }).meta({ id: "ListedUser" });
export type UserReply = z.infer<typeof userSchema>;
export type ListedUser = z.infer<typeof listedUserSchema>;
