import { existsSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDb, getDb } from "./index";
import { rowsOf, useTempDataDir } from "./testing";

const data = useTempDataDir();

describe("getDb (PGlite)", () => {
  it("creates the data folder and applies every migration", async () => {
    const db = await getDb();
    expect(existsSync(path.join(data.dir, "pglite"))).toBe(true);
    const res = await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = rowsOf<{ table_name: string }>(res).map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(["audit_log", "device_configs", "devices", "sessions", "users"]));
  });

  it("returns one cached instance per process", async () => {
    expect(await getDb()).toBe(await getDb());
  });

  it("reopens the same data after close, migrations being idempotent", async () => {
    const db = await getDb();
    await db.execute(sql`insert into audit_log (actor, action) values ('t', 'reopen-check')`);
    await closeDb();
    const again = await getDb();
    const res = await again.execute(sql`select count(*)::int as n from audit_log where action = 'reopen-check'`);
    expect(rowsOf<{ n: number }>(res)[0].n).toBe(1);
  });

  it("rejects a bad role (check constraint)", async () => {
    const db = await getDb();
    await expect(db.execute(sql`insert into users (username, password_hash, role) values ('x', 'h', 'root')`)).rejects.toThrow();
  });
});
