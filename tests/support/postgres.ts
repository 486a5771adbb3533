// Test support: a throw-away PostgreSQL server from Debian's `postgresql` package. A fresh cluster in a temp dir,
// listening on 127.0.0.1 only (first free port from 55432) and on a unix socket inside that dir; one database;
// stopped and deleted afterwards. PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

/** The newest /usr/lib/postgresql/<version>/bin holding the server, or null when the package is missing. */
export function postgresBinDir(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "postgres")) && existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], "bin") : null;
}

export interface PostgresServer {
  /** postgres://… for the test database (TCP on 127.0.0.1). */
  url: string;
  port: number;
  /** The temp dir: cluster in `data/`, unix socket and log here. */
  dir: string;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ host: "127.0.0.1", port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 50; p++) if (await portFree(p)) return p;
  throw new Error(`no free port in ${from}…${from + 49} on 127.0.0.1`);
}

/** Creates, starts and returns a throw-away server with database `dbName`. */
export async function startPostgres(dbName = "sap_test"): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
  const dir = mkdtempSync(path.join(tmpdir(), "sap-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  // As root: every server command runs as `postgres`, which must own the dir (the socket and log live there too).
  const asServer = (cmd: string, args: string[]) =>
    isRoot() ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "pipe" }) : execFileSync(path.join(bin, cmd), args, { stdio: "pipe" });
  if (isRoot()) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), Number(execFileSync("id", ["-g", "postgres"]).toString().trim()));
  let started = false;
  const stop = async () => {
    if (started) {
      try {
        asServer("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already gone */
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asServer("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
    const port = await freePort(55432);
    // Loopback TCP + a socket in our dir (not /var/run/postgresql); fsync off: a test cluster needs no durability.
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      asServer("pg_ctl", ["-D", data, "-l", logFile, "-o", opts, "-w", "-t", "30", "start"]);
    } catch (err) {
      const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
      throw new Error(`pg_ctl start failed: ${(err as Error).message}\n${log}`);
    }
    started = true;
    const { Client } = await import("pg");
    const admin = new Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    await admin.connect();
    try {
      // An ordinary owner (not a superuser), like a production deployment's application role.
      await admin.query(`create role sap login password 'sap'`);
      await admin.query(`create database ${dbName} owner sap`);
    } finally {
      await admin.end();
    }
    return { url: `postgres://sap:sap@127.0.0.1:${port}/${dbName}`, port, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One server for the calling test file: started in beforeAll, stopped and deleted in afterAll. `state.url` is
 * set once beforeAll ran. Returns null when the binaries are missing — then skip the suite loudly.
 */
export function usePostgres(): { url: string; server: PostgresServer | null } | null {
  if (!postgresBinDir()) {
    console.warn("SKIPPED: PostgreSQL tests need Debian's `postgresql` package (/usr/lib/postgresql/*/bin/postgres is missing)");
    return null;
  }
  const state: { url: string; server: PostgresServer | null } = { url: "", server: null };
  beforeAll(async () => {
    state.server = await startPostgres();
    state.url = state.server.url;
  });
  afterAll(async () => {
    await state.server?.stop();
  });
  return state;
}
