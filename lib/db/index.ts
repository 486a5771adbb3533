import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export { schema };

/** Either driver's drizzle instance; both share the pg-core query builder. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle: anything `db.transaction` hands its callback. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** Data folder for the embedded mode (PGlite files, generated secret key). */
export function dataDir(): string {
  // Runtime data, not code: keep Turbopack's file tracing from pulling the whole project into the build output.
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || "./data");
}

function migrationsFolder(): string {
  return path.join(process.cwd(), "drizzle");
}

interface Opened {
  db: Db;
  close: () => Promise<void>;
}

// Migrations run at most once concurrently in every process sharing one PostgreSQL: the advisory lock key is
// an arbitrary constant reserved for this.
const MIGRATION_LOCK_KEY = 505_2024;

async function openPostgres(url: string): Promise<Opened> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX || 10) });
  // An idle pooled connection the server drops (restart, failover, idle timeout, pg_terminate_backend) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool discards the client and opens a new one.
  pool.on("error", (err) => console.warn(`PostgreSQL: an idle pooled connection failed and was discarded: ${err.message}`));
  try {
    // The lock is per connection, so migrate on the same client that holds it.
    const client = await pool.connect();
    try {
      await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  return { db: drizzle(pool, { schema }) as unknown as Db, close: () => pool.end() };
}

async function openPglite(dir: string): Promise<Opened> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // PGlite does not create parent folders itself.
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  try {
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: migrationsFolder() });
    return { db: db as unknown as Db, close: () => client.close() };
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
}

// One instance per process (PGlite is single-connection). Kept on globalThis so Next's dev-mode module reloads
// and route bundles that each carry a copy of this module still share it.
const KEY = Symbol.for("sip-admin-portal.db");
type Holder = { [KEY]?: Promise<Opened> };
const holder = globalThis as unknown as Holder;

/** The cached database, opened and migrated on first use. */
export function getDb(): Promise<Db> {
  let opening = holder[KEY];
  if (!opening) {
    const url = process.env.DATABASE_URL;
    opening = url ? openPostgres(url) : openPglite(path.join(dataDir(), "pglite"));
    holder[KEY] = opening;
    // A failed open must not poison every later request: forget it so the next call retries.
    opening.catch(() => {
      if (holder[KEY] === opening) delete holder[KEY];
    });
  }
  return opening.then((o) => o.db);
}

/** Closes the cached database (tests, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const opening = holder[KEY];
  delete holder[KEY];
  if (opening) await (await opening.catch(() => null))?.close();
}
