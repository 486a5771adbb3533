// Test support: each test file gets its own database on the run's shared PostgreSQL server (vitest global setup
// `tests/support/global-postgres.ts`), copied from the migrated template, plus a fresh temp DATA_DIR; both are
// dropped/removed afterwards.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb } from "@/lib/db";

const TEMPLATE = "sap_template";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: import("pg").Client) => Promise<T>): Promise<T> {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: inject("postgresAdminUrl") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database on the shared test server: a copy of the migrated template, or empty (`migrated: false`,
 * e.g. to test migrations). `owner` makes an ordinary role (login, password = its name) own it.
 */
export async function createTestDatabase(opts: { migrated?: boolean; owner?: string } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const base = inject("postgresAdminUrl");
  await admin(async (c) => {
    if (opts.owner) {
      const role = c.escapeIdentifier(opts.owner);
      const exists = await c.query("select 1 from pg_roles where rolname = $1", [opts.owner]);
      if (!exists.rowCount) await c.query(`create role ${role} login password ${c.escapeLiteral(opts.owner)}`);
    }
    const template = opts.migrated === false ? "template0" : TEMPLATE;
    await c.query(`create database ${c.escapeIdentifier(name)} template ${c.escapeIdentifier(template)}${opts.owner ? ` owner ${c.escapeIdentifier(opts.owner)}` : ""}`);
  });
  let url = withDatabase(base, name);
  if (opts.owner) {
    const u = new URL(url);
    u.username = opts.owner;
    u.password = opts.owner;
    url = u.toString();
  }
  return {
    url,
    name,
    drop: () => admin(async (c) => void (await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`))),
  };
}

/**
 * A temp DATA_DIR for the calling test file and (unless `database: false`) its own database as DATABASE_URL, with a
 * SECRET_KEY (required whenever DATABASE_URL is set; child processes inherit both).
 */
export function useTempDataDir(opts: { database?: boolean } = {}): { readonly dir: string; readonly databaseUrl: string } {
  const state = { dir: "", databaseUrl: "" };
  const saved: Record<string, string | undefined> = {};
  const vars = ["DATA_DIR", "DATABASE_URL", "SECRET_KEY", "ADMIN_USERNAME", "ADMIN_PASSWORD"];
  let db: TestDatabase | null = null;
  beforeAll(async () => {
    for (const v of vars) saved[v] = process.env[v];
    for (const v of vars) delete process.env[v];
    state.dir = mkdtempSync(path.join(tmpdir(), "sap-test-"));
    process.env.DATA_DIR = state.dir;
    if (opts.database !== false) {
      db = await createTestDatabase();
      state.databaseUrl = db.url;
      process.env.DATABASE_URL = db.url;
      process.env.SECRET_KEY = randomBytes(32).toString("hex");
    }
  });
  afterAll(async () => {
    // Background config reads the file's tests started (lib/push/background.ts) must end before their database
    // goes: one still running would fail on a dropped database after the file ended (an unhandled error in CI).
    const reader = (globalThis as { [k: symbol]: { idle(): Promise<void> } | undefined })[Symbol.for("sip-admin-portal.config-reader")];
    await reader?.idle();
    await closeDb();
    await db?.drop();
    rmSync(state.dir, { recursive: true, force: true });
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  return state;
}

/** Rows of a raw `db.execute(sql...)` result (node-postgres answers `{rows}`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
