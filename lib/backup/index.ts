// Backup and restore of everything the portal stores (inventory, desired configs, revisions, status timeline, jobs,
// users, sessions, audit): one PostgreSQL snapshot taken by `pg_dump` (a single repeatable-read transaction, so it is
// consistent while the portal runs) in its custom format, behind one JSON header line that names the format, the
// server version and the fingerprint of the encryption key. Device credentials are encrypted with that key, so a
// restore under a different key is refused before anything is touched.
//   file = `{"format":"sip-admin-portal-backup","version":1,…}\n` + pg_dump custom-format bytes
import "server-only";
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, openSync, readSync, closeSync } from "node:fs";
import { once } from "node:events";
import { keyFingerprint } from "@/lib/crypto";
import { connectionUrl, databaseInfo, databaseUrl } from "@/lib/db";

export const BACKUP_FORMAT = "sip-admin-portal-backup";

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  /** The server's version the dump was taken from. */
  server: string;
  /** sha256 of the encryption key, first 16 hex digits: says which key, reveals nothing usable. */
  keyFingerprint: string;
}

export class BackupError extends Error {}

export { keyFingerprint };

/** libpq takes the connection from the environment: the password stays out of the process list. */
function libpqEnv(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { args: ["--dbname", u.toString()], env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, io: { stdout: NodeJS.WritableStream }): Promise<void> {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.pipe(io.stdout, { end: false });
  const [code] = (await Promise.race([once(child, "close"), once(child, "error").then(([e]) => Promise.reject(e))])) as [number];
  if (code !== 0) throw new BackupError(`${cmd} failed (exit ${code}): ${stderr.trim().slice(-2000)}`);
}

function missingTool(err: unknown, tool: string): never {
  if ((err as NodeJS.ErrnoException).code === "ENOENT") {
    throw new BackupError(`${tool} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), version ≥ the server's`);
  }
  throw err;
}

/** Writes a consistent backup of the portal's database to `file`. */
export async function backup(file: string): Promise<BackupHeader> {
  const info = await databaseInfo();
  const header: BackupHeader = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), server: info.version, keyFingerprint: keyFingerprint() };
  const out = createWriteStream(file, { mode: 0o600 });
  out.write(JSON.stringify(header) + "\n");
  const { args, env } = libpqEnv(await databaseUrl());
  try {
    await runTool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", ...args], env, { stdout: out }).catch((e) => missingTool(e, "pg_dump"));
  } finally {
    out.end();
    await once(out, "close");
  }
  return header;
}

/** The header line of a backup file (throws BackupError if it is not one). */
export function readHeader(file: string): { header: BackupHeader; offset: number } {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(0x0a);
    let header: BackupHeader | null = null;
    try {
      header = nl > 0 ? (JSON.parse(buf.subarray(0, nl).toString("utf8")) as BackupHeader) : null;
    } catch {
      header = null;
    }
    if (!header || header.format !== BACKUP_FORMAT || header.version !== 1) throw new BackupError(`${file} is not a SIP Admin Portal backup`);
    return { header, offset: nl + 1 };
  } finally {
    closeSync(fd);
  }
}

async function otherSessions(url: string): Promise<number> {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
    return r.rows[0].n;
  } finally {
    await c.end();
  }
}

// What a restore replaces: everything the migrations made (public tables, drizzle's migration journal).
const WIPE = "drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;\n";

/**
 * Restores `file` into the portal's database, replacing what is there — in ONE transaction (psql
 * --single-transaction over pg_restore's SQL), so a failed restore leaves the database as it was. Refused before
 * anything is touched when the current encryption key is not the backup's. Run it with the portal stopped.
 */
export async function restore(file: string): Promise<BackupHeader> {
  const { header, offset } = readHeader(file);
  const current = keyFingerprint();
  if (current !== header.keyFingerprint) {
    throw new BackupError(
      `The backup was made with another encryption key (fingerprint ${header.keyFingerprint}, this portal's is ${current}). ` +
        "Set SECRET_KEY (or DATA_DIR/secret.key) to the key of the portal the backup came from; nothing was restored.",
    );
  }
  // Not getDb(): migrating first would make tables the backup then collides with.
  const url = await connectionUrl();
  const others = await otherSessions(url);
  if (others > 0) throw new BackupError(`${others} other connection(s) use this database: stop the portal and its workers first; nothing was restored.`);
  const { args, env } = libpqEnv(url);
  const psql = spawn("psql", ["--single-transaction", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", ...args], { env, stdio: ["pipe", "ignore", "pipe"] });
  const sqlOut = spawn("pg_restore", ["--no-owner", "--no-privileges", "--file=-"], { env, stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  for (const c of [psql, sqlOut]) c.stderr!.on("data", (d: Buffer) => (errors += d.toString()));
  const failed = (tool: string) => (e: unknown) => missingTool(e, tool);
  const psqlDone = Promise.race([once(psql, "close"), once(psql, "error").then(([e]) => failed("psql")(e))]) as Promise<[number]>;
  const restoreDone = Promise.race([once(sqlOut, "close"), once(sqlOut, "error").then(([e]) => failed("pg_restore")(e))]) as Promise<[number]>;
  psql.stdin!.write(WIPE);
  createReadStream(file, { start: offset }).pipe(sqlOut.stdin!);
  sqlOut.stdout!.pipe(psql.stdin!);
  const [[restoreCode], [psqlCode]] = await Promise.all([restoreDone, psqlDone]);
  if (restoreCode !== 0 || psqlCode !== 0) throw new BackupError(`Restore failed, nothing was changed: ${errors.trim().slice(-2000)}`);
  return header;
}
