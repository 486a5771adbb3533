// Shared set-up for the REST API suites: a database of its own, an admin and a viewer with Bearer tokens.
import { beforeAll } from "vitest";
import { createUser, login } from "@/lib/auth";
import { useTempDataDir } from "@/tests/support/db";

export function useApiFixture(): { admin: string; viewer: string; dir: string } {
  const data = useTempDataDir();
  const f = { admin: "", viewer: "", dir: "" };
  beforeAll(async () => {
    f.dir = data.dir;
    await createUser({ username: "root", password: "root-password", role: "admin" });
    await createUser({ username: "vera", password: "vera-password", role: "viewer" });
    f.admin = (await login("root", "root-password"))!.token;
    f.viewer = (await login("vera", "vera-password"))!.token;
  }, 180_000); // four argon2 hashes: slow on a loaded machine
  return f;
}
