import type { ApiTokenScope, Role } from "@/lib/states";

export type { Role };
export interface User {
  id: string;
  /** For a request made with an API token: `owner (token name)`, so audit entries name the token. */
  username: string;
  role: Role;
  /** Set when the request was authenticated by an API token (not a session). */
  token?: { id: string; name: string; scope: ApiTokenScope };
}
