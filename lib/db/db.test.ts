// The embedded mode (no DATABASE_URL): the portal runs its own PostgreSQL server from DATA_DIR — started on first
// use, migrated, stopped by the last process to close it, reused when a killed portal left it running, and
// recovered (never corrupted) when the server itself was killed.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startEmbedded } from "./embedded";
import { closeDb, databaseInfo, getDb } from "./index";
import { rowsOf, useTempDataDir } from "@/tests/support/db";

const data = useTempDataDir({ database: false });
const pidFile = () => path.join(data.dir, "postgres", "postmaster.pid");
const serverPid = () => Number(readFileSync(pidFile(), "utf8").split("\n")[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function count(action: string): Promise<number> {
  const db = await getDb();
  return rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from audit_log where action = ${action}`))[0].n;
}

describe("getDb (embedded PostgreSQL in DATA_DIR)", () => {
  it("starts a server in DATA_DIR/postgres, on a unix socket there, and applies every migration", async () => {
    const db = await getDb();
    expect(existsSync(pidFile())).toBe(true);
    expect(readFileSync(pidFile(), "utf8").split("\n")[4]).toBe(path.join(data.dir, "postgres")); // socket folder
    expect(await databaseInfo()).toEqual({ engine: "postgresql", version: expect.stringMatching(/^15\.\d+$/), embedded: true });
    const names = rowsOf<{ table_name: string }>(
      await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`),
    ).map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(["audit_log", "device_configs", "devices", "sessions", "users"]));
  });

  it("returns one cached instance per process", async () => {
    expect(await getDb()).toBe(await getDb());
  });

  it("stops the server on close (last client) and reopens the same data, migrations being idempotent", async () => {
    await (await getDb()).execute(sql`insert into audit_log (actor, action) values ('t', 'reopen-check')`);
    const pid = serverPid();
    await closeDb();
    expect(alive(pid)).toBe(false);
    expect(await count("reopen-check")).toBe(1);
    expect(serverPid()).not.toBe(pid);
  });

  it("rejects a bad role (check constraint)", async () => {
    const db = await getDb();
    await expect(db.execute(sql`insert into users (username, password_hash, role) values ('x', 'h', 'root')`)).rejects.toThrow();
  });

  it("a server left running by a SIGKILLed portal is reused by the next start", async () => {
    await closeDb();
    const child = spawn(process.execPath, ["--require", "./tests/jobs/support/server-only-off.cjs", "--import", "tsx", "tests/support/embedded-child.ts"], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    const ready = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => ((out += d), out.includes("\n") && resolve(out)));
      child.on("exit", (code) => resolve(`exited ${code}`));
    });
    expect(ready).toMatch(/^ready .*"embedded":true/);
    const pid = serverPid();
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(alive(pid)).toBe(true); // the portal is gone, its server is not
    const again = await startEmbedded({ dir: data.dir });
    expect(again.reused).toBe(true);
    expect(serverPid()).toBe(pid);
    expect(await count("reopen-check")).toBe(1);
  });

  it("a killed server (stale postmaster.pid) is started again and its data is intact", async () => {
    await getDb();
    await (await getDb()).execute(sql`insert into audit_log (actor, action) values ('t', 'crash-check')`);
    const pid = serverPid();
    await closeDb(); // stops it; start once more and kill it hard while idle
    await getDb();
    const pid2 = serverPid();
    expect(pid2).not.toBe(pid);
    process.kill(pid2, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid2)).toBe(false);
    expect(existsSync(pidFile())).toBe(true); // left behind
    const { closeDb: close } = await import("./index");
    await close().catch(() => {}); // the pool's connections died with the server
    expect(await count("crash-check")).toBe(1);
    expect(serverPid()).not.toBe(pid2);
    await closeDb();
  });
});
