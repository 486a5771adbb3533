// The DATABASE_URL mode against "any" PostgreSQL server (here an empty database on the test run's shared server,
// owned by an ordinary role): migrations under the advisory lock, auth, inventory with encrypted credentials, the
// config store, status tables and the job queue's SKIP LOCKED claim from two connections.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSession } from "@/lib/auth/sessions";
import { ensureFirstAdmin, login, logout } from "@/lib/auth/users";
import { getDesiredConfig, getPublicConfig, patchConfig } from "@/lib/config-store";
import { closeDb, getDb, schema, type Db } from "@/lib/db";
import { auditLog, deviceStatus, devices, pushTargets, statusEvents } from "@/lib/db/schema";
import { createTestDatabase, rowsOf, type TestDatabase } from "@/tests/support/db";
import { createDevice, deleteDevice, getDeviceCredentials, insertDevices, listDevices, updateDevice } from "@/lib/inventory/devices";
import { createJob, getJob } from "@/lib/jobs/store";
import { claimTargets } from "@/lib/jobs/runner";

let pg: TestDatabase;
const MIGRATIONS = readdirSync(path.join(process.cwd(), "drizzle")).filter((f) => f.endsWith(".sql")).length;
const DB_KEY = Symbol.for("sip-admin-portal.db"); // lib/db's per-process cache (see lib/db/index.ts)
const KEYS = {
  useRedundant: "voip/signalling/sip/redundant/use_redundant_proxy",
  redundantAddress: "voip/signalling/sip/redundant/redundant_proxy_address",
  redundantPort: "voip/signalling/sip/redundant/redundant_proxy_port",
  authPassword: "voip/line/0/auth_password",
};

const VARS = ["DATA_DIR", "DATABASE_URL", "SECRET_KEY", "ADMIN_USERNAME", "ADMIN_PASSWORD"];
const saved: Record<string, string | undefined> = {};
let dataDir = "";

async function migrationsApplied(db: Db): Promise<number> {
  return rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n;
}

describe("lib/db on a PostgreSQL server (DATABASE_URL)", () => {
  beforeAll(async () => {
    pg = await createTestDatabase({ migrated: false, owner: "sap" });
    for (const v of VARS) saved[v] = process.env[v];
    dataDir = mkdtempSync(path.join(tmpdir(), "sap-pgtest-"));
    process.env.DATA_DIR = dataDir; // must stay unused: no embedded server or key file in this mode
    process.env.DATABASE_URL = pg.url;
    process.env.SECRET_KEY = "5e".repeat(32);
    process.env.ADMIN_USERNAME = "root";
    process.env.ADMIN_PASSWORD = "first-admin-pass";
  });
  afterAll(async () => {
    await closeDb();
    await pg.drop();
    expect(readdirSync(dataDir)).toEqual([]);
    rmSync(dataDir, { recursive: true, force: true });
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  it("two concurrent first opens migrate once (advisory lock), on a non-superuser role", async () => {
    const holder = globalThis as unknown as Record<symbol, unknown>;
    const first = getDb();
    delete holder[DB_KEY]; // a second, independent open — as a second portal process would do
    const second = getDb();
    const [a, b] = await Promise.all([first, second]);
    expect(a).not.toBe(b);
    expect(await migrationsApplied(b)).toBe(MIGRATIONS);
    const tables = rowsOf<{ table_name: string }>(
      await b.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`),
    ).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(["audit_log", "config_snapshots", "device_configs", "device_status", "devices", "push_jobs", "push_targets", "sessions", "status_events", "users"]));
    expect(rowsOf<{ u: string }>(await b.execute(sql`select current_user as u`))[0].u).toBe("sap");
    await (a as unknown as { $client: { end(): Promise<void> } }).$client.end();
  });

  it("a second open is idempotent and sees the same data", async () => {
    const db = await getDb();
    await db.insert(auditLog).values({ actor: "t", action: "reopen-check" });
    await closeDb();
    const again = await getDb();
    expect(again).not.toBe(db);
    expect(await migrationsApplied(again)).toBe(MIGRATIONS);
    const n = await again.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, "reopen-check"));
    expect(n[0].n).toBe(1);
  });

  it("survives the server dropping the pool's idle connections", async () => {
    const db = await getDb();
    await Promise.all([1, 2, 3].map(() => db.execute(sql`select pg_sleep(0.05)`))); // several pooled connections
    const killer = new Client({ connectionString: pg.url });
    await killer.connect();
    try {
      const killed = await killer.query("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'sap' and pid <> pg_backend_pid()");
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await killer.end();
    }
    await new Promise((r) => setTimeout(r, 200));
    // The pool drops the dead clients (no unhandled 'error' event takes the process down) and opens new ones.
    expect(rowsOf<{ n: number }>(await db.execute(sql`select 1 as n`))[0].n).toBe(1);
  });

  it("creates the first admin once, logs in, resolves and ends the session", async () => {
    const admin = await ensureFirstAdmin();
    expect(admin).toMatchObject({ username: "root", role: "admin" });
    expect(await ensureFirstAdmin()).toBeNull();
    expect(await login("root", "wrong-password")).toBeNull();
    const ok = await login("root", "first-admin-pass");
    expect(ok?.user).toEqual(admin);
    expect(await resolveSession(ok!.token)).toEqual(admin);
    await logout(ok!.token, "root");
    expect(await resolveSession(ok!.token)).toBeNull();
    const db = await getDb();
    const actions = (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actor, "root"))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["login.failed", "login", "logout"]));
  });

  it("device CRUD: encrypted password, text[] tags (filter, update), unique address, delete", async () => {
    const d = await createDevice({ name: "room-1", address: "10.1.0.1:80", username: "admin", password: "dev-secret", site: "hq", tags: ["floor-2", "board"] }, "root");
    expect(d).toMatchObject({ hasPassword: true, tags: ["floor-2", "board"], site: "hq" });
    const db = await getDb();
    const [raw] = await db.select({ enc: devices.passwordEnc }).from(devices).where(eq(devices.id, d.id));
    expect(raw.enc).toMatch(/^v1:/);
    expect(raw.enc).not.toContain("dev-secret");
    expect((await getDeviceCredentials(d.id)).password).toBe("dev-secret");

    await createDevice({ name: "room-2", address: "10.1.0.2:80", tags: ["floor-3"] }, "root");
    expect((await listDevices({ tag: "board" })).items.map((x) => x.name)).toEqual(["room-1"]);
    expect((await listDevices({ q: "ROOM" })).total).toBe(2);
    await expect(createDevice({ name: "dup", address: "10.1.0.1:80" }, "root")).rejects.toMatchObject({ code: "conflict" });

    const u = await updateDevice(d.id, { tags: ["floor-3"], password: "new-secret" }, "root");
    expect(u.tags).toEqual(["floor-3"]);
    expect((await getDeviceCredentials(d.id)).password).toBe("new-secret");
    expect((await listDevices({ tag: "floor-3" })).total).toBe(2);
    const [audit] = await db.select({ details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "device.update"));
    expect(audit.details).toMatchObject({ before: { tags: ["floor-2", "board"] }, after: { tags: ["floor-3"] } });

    await deleteDevice(d.id, "root");
    await expect(getDeviceCredentials(d.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("desired config patch: jsonb values, sealed secrets, revision check, validation", async () => {
    const d = await createDevice({ name: "cfg-1", address: "10.2.0.1:80" }, "root");
    const r = await patchConfig(d.id, { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.46.0.2", [KEYS.redundantPort]: 5070, [KEYS.authPassword]: "line-secret" }, "root");
    expect(r).toMatchObject({ revision: 1, state: "pending_push" });
    const db = await getDb();
    const [stored] = await db.select({ values: schema.deviceConfigs.values }).from(schema.deviceConfigs).where(eq(schema.deviceConfigs.deviceId, d.id));
    expect(stored.values[KEYS.redundantPort]).toBe(5070); // a JSON number, not a string
    expect(String(stored.values[KEYS.authPassword])).toMatch(/^v1:/);
    const desired = await getDesiredConfig(d.id);
    expect(desired.values).toMatchObject({ [KEYS.redundantAddress]: "10.46.0.2", [KEYS.redundantPort]: 5070, [KEYS.authPassword]: "line-secret" });
    expect((await getPublicConfig(d.id)).values).toBeNull(); // never read from a phone: no values shown as its
    await expect(patchConfig(d.id, { [KEYS.redundantPort]: 5071 }, "root", 0)).rejects.toMatchObject({ code: "conflict" });
    await expect(patchConfig(d.id, { [KEYS.redundantPort]: 99999 }, "root")).rejects.toMatchObject({ code: "validation_failed" });
    expect((await patchConfig(d.id, { [KEYS.redundantPort]: 5071 }, "root", 1)).revision).toBe(2);
  });

  it("status tables: current status with jsonb keep-alive and the timeline", async () => {
    const [d] = await listDevices({ q: "cfg-1" }).then((l) => l.items);
    const db = await getDb();
    const since = new Date("2025-01-02T03:04:05.678Z");
    await db.insert(deviceStatus).values({ deviceId: d.id, state: "registered", proxy: "redundant", since, keepAlive: { primary: { ok: false }, redundant: { ok: true, rttMs: 3 } } });
    await db.insert(statusEvents).values({ deviceId: d.id, at: since, fromState: "registered", fromProxy: "primary", toState: "registered", toProxy: "redundant", reason: "failover" });
    const [s] = await db.select().from(deviceStatus).where(eq(deviceStatus.deviceId, d.id));
    expect(s.since.toISOString()).toBe(since.toISOString());
    expect(s.keepAlive).toEqual({ primary: { ok: false }, redundant: { ok: true, rttMs: 3 } });
    expect((await listDevices({ status: "failed_over" })).items.map((x) => x.id)).toEqual([d.id]);
    const ev = await db.select().from(statusEvents).where(eq(statusEvents.deviceId, d.id));
    expect(ev).toHaveLength(1);
    expect(typeof ev[0].id).toBe("number"); // bigserial in number mode
  });

  it("push job + targets: two connections claim with SKIP LOCKED, no target twice", async () => {
    const N = 60;
    const db = await getDb();
    const rows = await db.transaction((tx) =>
      insertDevices(tx, Array.from({ length: N }, (_, i) => ({ name: `fleet-${String(i).padStart(3, "0")}`, address: `10.9.${i >> 8}.${i & 255}:80`, username: "", site: "fleet", tags: [] }))),
    );
    const job = await createJob({ selection: { filter: { site: "fleet" } }, values: { [KEYS.useRedundant]: 1, [KEYS.redundantAddress]: "10.46.0.9" }, concurrency: 4 }, "root");
    expect(job.counts).toMatchObject({ total: N, queued: N });

    const clients = [new Client({ connectionString: pg.url }), new Client({ connectionString: pg.url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const [one, two] = clients.map((c) => drizzle(c, { schema }) as unknown as Db);
      // One connection holds its claim uncommitted: the other neither waits nor takes those rows.
      const held = await one.transaction(async (tx) => {
        const mine = await claimTargets(tx, job.id, 5);
        const other = await Promise.race([claimTargets(two, job.id, 5), new Promise<"blocked">((r) => setTimeout(() => r("blocked"), 3000))]);
        expect(other).not.toBe("blocked");
        expect(mine).toHaveLength(5);
        expect(other as unknown[]).toHaveLength(5);
        return [...mine, ...(other as typeof mine)];
      });
      // Then both race for the rest, a few rows at a time.
      const drain = async (c: Db) => {
        const got: number[] = [];
        for (let batch = await claimTargets(c, job.id, 3); batch.length; batch = await claimTargets(c, job.id, 3)) got.push(...batch.map((t) => t.id));
        return got;
      };
      const [a, b] = await Promise.all([drain(one), drain(two)]);
      const all = [...held.map((t) => t.id), ...a, ...b];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(N);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(held.every((t) => typeof t.id === "number" && t.attempts === 1 && rows.some((r) => r.id === t.deviceId))).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const after = await db.select({ state: pushTargets.state, attempts: pushTargets.attempts }).from(pushTargets).where(eq(pushTargets.jobId, job.id));
    expect(after.every((t) => t.state === "running" && t.attempts === 1)).toBe(true);
    expect((await getJob(job.id)).counts).toMatchObject({ running: N, total: N });
  });
});
