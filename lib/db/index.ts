import "server-only";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import { startEmbedded, stopEmbedded } from "./embedded";
import { applicationName } from "./presence";
import * as schema from "./schema";

export { schema };

/** The drizzle instance (node-postgres driver, pg-core query builder). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle: anything `db.transaction` hands its callback. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** Data folder for the embedded mode (the PostgreSQL cluster, generated secret key). */
export function dataDir(): string {
  // Runtime data, not code: keep Turbopack's file tracing from pulling the whole project into the build output.
  return path.resolve(/*turbopackIgnore: true*/ env().DATA_DIR);
}

function migrationsFolder(): string {
  return path.join(process.cwd(), "drizzle");
}

/** Where the data lives, for the health report and the logs. */
export interface DatabaseInfo {
  engine: "postgresql";
  /** The server's version, e.g. "15.18". */
  version: string;
  /** True when the portal runs the server itself from DATA_DIR (no DATABASE_URL). */
  embedded: boolean;
}

interface Opened {
  db: Db;
  url: string;
  info: DatabaseInfo;
  close: () => Promise<void>;
}

// Migrations run at most once concurrently in every process sharing one PostgreSQL: the advisory lock key is
// an arbitrary constant reserved for this.
const MIGRATION_LOCK_KEY = 505_2024;

async function openPostgres(url: string, embedded: string | null): Promise<Opened> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  // The tag says which portal process this is (lib/db/presence: the live-process list comes from it).
  const pool = new Pool({ connectionString: url, max: env().DATABASE_POOL_MAX, application_name: applicationName() });
  // An idle pooled connection the server drops (restart, failover, idle timeout, pg_terminate_backend) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool discards the client and opens a new one.
  pool.on("error", (err) => console.warn(`PostgreSQL: an idle pooled connection failed and was discarded: ${err.message}`));
  let version = "";
  try {
    // The lock is per connection, so migrate on the same client that holds it.
    const client = await pool.connect();
    try {
      version = (await client.query<{ v: string }>("select current_setting($1) as v", ["server_version"])).rows[0].v.split(" ")[0];
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
  const close = async () => {
    await pool.end();
    // The last portal process on this DATA_DIR to leave stops the embedded server.
    if (embedded) await stopEmbedded(embedded).catch((err) => console.warn(`PostgreSQL: stopping the embedded server failed: ${(err as Error).message}`));
  };
  return { db: drizzle(pool, { schema }) as unknown as Db, url, info: { engine: "postgresql", version, embedded: !!embedded }, close };
}

/** The database's connection string without opening the pool or migrating (starts the embedded server if needed). */
export async function connectionUrl(): Promise<string> {
  return env().DATABASE_URL || (await startEmbedded({ dir: dataDir() })).url();
}

async function open(): Promise<Opened> {
  const url = await connectionUrl();
  return openPostgres(url, env().DATABASE_URL ? null : dataDir());
}

// One pool per process. Kept on globalThis so Next's dev-mode module reloads
// and route bundles that each carry a copy of this module still share it.
const KEY = Symbol.for("sip-admin-portal.db");
type Holder = { [KEY]?: Promise<Opened> };
const holder = globalThis as unknown as Holder;

/** The cached database, opened and migrated on first use. */
export function getDb(): Promise<Db> {
  let opening = holder[KEY];
  if (!opening) {
    opening = open();
    holder[KEY] = opening;
    // A failed open must not poison every later request: forget it so the next call retries.
    opening.catch(() => {
      if (holder[KEY] === opening) delete holder[KEY];
    });
  }
  return opening.then((o) => o.db);
}

/** Engine, version and mode of the open database (opens it if needed). */
export async function databaseInfo(): Promise<DatabaseInfo> {
  await getDb();
  return (await holder[KEY]!).info;
}

/** The connection string of the open database (pg-boss, LISTEN/NOTIFY and backups open their own connections). */
export async function databaseUrl(): Promise<string> {
  await getDb();
  return (await holder[KEY]!).url;
}

/** Closes the cached database (tests, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const opening = holder[KEY];
  delete holder[KEY];
  if (opening) await (await opening.catch(() => null))?.close();
}

/**
 * Runs a statement whose text never changes as a named prepared statement: parsed and planned once per connection
 * (what drizzle's `.prepare(name)` does for the query builder, for hand-written SQL), on the handle's connection —
 * the pool, or a transaction's own client. `name` must be unique to `text`.
 */
export async function executePrepared<R>(db: DbOrTx, name: string, text: string, values: unknown[]): Promise<R[]> {
  // drizzle's node-postgres session holds the pg Pool (or a transaction's PoolClient) as `client`.
  const client = (db as unknown as { session: { client: { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }> } } }).session.client;
  return (await client.query({ name, text, values })).rows;
}
