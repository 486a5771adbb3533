// Which portal processes are alive, from PostgreSQL itself: every process tags its connections with an
// application_name saying what it runs, so the live ones are simply those with an open connection — a process that
// dies (even SIGKILL) drops off the list the moment the server sees its sockets close. No heartbeat table.
import "server-only";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { DbOrTx } from "./index";

export { PROCESS_KINDS, type ProcessKind } from "@/lib/states";
import type { ProcessKind } from "@/lib/states";

export interface ProcessTag {
  kind: ProcessKind;
  pid: number;
  host: string;
  poller: boolean;
  jobs: boolean;
  /** When the process started, ms since the epoch: the pollers' order (lib/poller/shards). */
  startedAt: number;
}

const PREFIX = "sap";
// In the tag, not taken from pg_stat_activity's backend_start: a pool closes idle connections and opens new ones,
// so "oldest open connection" moves during a process's life, and with it the pollers' order (every shard handed
// over at once — tests/workers/sharding.test.ts caught it about 10 s after two workers started).
const STARTED_AT = Date.now();

/** This process's tag: `SAP_PROCESS_KIND` (set by `npm run worker`), POLLER / JOBS. Read once per pool. */
export function processTag(): ProcessTag {
  const e = env();
  return { kind: e.SAP_PROCESS_KIND, pid: process.pid, host: hostname(), poller: e.POLLER === "on", jobs: e.JOBS === "on", startedAt: STARTED_AT };
}

/** `sap/<kind>/<pid>/<p|-><j|->/<start, base 36>/<host>`, within PostgreSQL's 63-byte application_name. */
export function applicationName(t: ProcessTag = processTag()): string {
  return `${PREFIX}/${t.kind}/${t.pid}/${t.poller ? "p" : "-"}${t.jobs ? "j" : "-"}/${t.startedAt.toString(36)}/${t.host}`.slice(0, 63);
}

export function parseApplicationName(name: string): ProcessTag | null {
  const m = /^sap\/(web|worker)\/(\d+)\/([p-])([j-])\/([0-9a-z]+)\/(.*)$/.exec(name);
  return m ? { kind: m[1] as ProcessKind, pid: Number(m[2]), poller: m[3] === "p", jobs: m[4] === "j", startedAt: parseInt(m[5], 36), host: m[6] } : null;
}

export interface LiveProcess extends ProcessTag {
  /** When the process started (ISO). */
  since: string;
}

/** The application_name of every portal process with an open connection to this database. */
export async function liveApplicationNames(db: DbOrTx): Promise<string[]> {
  const res = await db.execute(sql`select distinct application_name as name from pg_stat_activity where datname = current_database() and application_name like 'sap/%'`);
  return (res as unknown as { rows: Array<{ name: string }> }).rows.map((r) => r.name);
}

/** Portal processes with an open connection to this database. */
export async function liveProcesses(db: DbOrTx): Promise<LiveProcess[]> {
  const res = await db.execute(sql`
    select distinct application_name as name from pg_stat_activity
    where datname = current_database() and application_name like 'sap/%'`);
  const rows = (res as unknown as { rows: Array<{ name: string }> }).rows;
  return rows
    .flatMap((r) => {
      const t = parseApplicationName(r.name);
      return t ? [{ ...t, since: new Date(t.startedAt).toISOString() }] : [];
    })
    .sort((a, b) => a.startedAt - b.startedAt);
}
