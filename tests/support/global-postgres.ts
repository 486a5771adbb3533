// Vitest global setup: ONE throw-away embedded PostgreSQL server for the whole run (the same binaries and start
// code as the portal's embedded mode), and a template database with every migration applied. Each test file then
// gets its own database copied from the template (`lib/db/testing.ts`): a file-level copy, far faster than
// migrating per file, and files never see each other's rows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbedded, stopEmbedded } from "../../lib/db/embedded";

export const TEMPLATE_DATABASE = "sap_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** The shared test server's superuser URL of its `postgres` database. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), "sap-vitest-pg-"));
  const server = await startEmbedded({ dir, throwaway: true });
  await ensureDatabase(server.url("postgres"), TEMPLATE_DATABASE);
  const { Client } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const c = new Client({ connectionString: server.url(TEMPLATE_DATABASE) });
  await c.connect();
  try {
    await migrate(drizzle(c), { migrationsFolder: path.join(process.cwd(), "drizzle") });
  } finally {
    await c.end(); // a template must have no connections while it is copied
  }
  project.provide("postgresAdminUrl", server.url("postgres"));
  return async () => {
    await stopEmbedded(dir, { force: true }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
}
