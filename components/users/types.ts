// The wire shape of GET /api/v1/users items (one definition, erased at compile time).
import type { ListedUser } from "@/lib/auth/users";

export type { ListedUser };
export type Role = ListedUser["role"];
