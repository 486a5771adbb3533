import type { Role } from "@/lib/db/schema";

export type { Role };
export interface User {
  id: string;
  username: string;
  role: Role;
}
