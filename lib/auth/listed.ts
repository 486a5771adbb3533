// A user row as the admin list shows it (users.ts and totp.ts both answer with it; kept apart so neither imports
// the other's module, which would be a cycle).
import type { users } from "@/lib/db/schema";
import type { User } from "./types";

/** A user as the admin list shows it; `totp`: two-step sign-in is on. */
export type ListedUser = User & { createdAt: string; totp: boolean };

export const toUser = (r: { id: string; username: string; role: User["role"] }): User => ({ id: r.id, username: r.username, role: r.role });

export const toListedUser = (r: typeof users.$inferSelect): ListedUser => ({ ...toUser(r), createdAt: r.createdAt.toISOString(), totp: r.totpSecretEnc !== null });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A user id is a uuid; anything else is an unknown user (404), never a database error. */
export const isUserId = (id: string) => UUID.test(id);
