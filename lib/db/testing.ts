// Test support: each test file gets its own PGlite in a fresh temp DATA_DIR, closed and removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closeDb } from "./index";

export function useTempDataDir(): { readonly dir: string } {
  const state = { dir: "" };
  const saved: Record<string, string | undefined> = {};
  const vars = ["DATA_DIR", "DATABASE_URL", "SECRET_KEY", "ADMIN_USERNAME", "ADMIN_PASSWORD"];
  beforeAll(() => {
    for (const v of vars) saved[v] = process.env[v];
    for (const v of vars) delete process.env[v];
    state.dir = mkdtempSync(path.join(tmpdir(), "sap-test-"));
    process.env.DATA_DIR = state.dir;
  });
  afterAll(async () => {
    await closeDb();
    rmSync(state.dir, { recursive: true, force: true });
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  return state;
}

/** Rows of a raw `db.execute(sql...)` result (both drivers answer `{rows}`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
