// A config writer that waited for another's lock on the device must build on what that other one committed.
// A SELECT … FOR UPDATE of the device joined with its config returned the config row of the snapshot taken before it
// waited: a background read that waited for a push's record overwrote the verified push with drift (CI, e2e).
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { deviceConfigs, devices } from "@/lib/db/schema";
import { loadDesiredConfig } from "@/lib/config-store";
import { createDevice } from "@/lib/inventory/devices";
import { useTempDataDir } from "@/tests/support/db";
import { eventually } from "@/tests/support/eventually";

useTempDataDir();

it("a locked load that waited for another writer sees that writer's committed config", async () => {
  const db = await getDb();
  const { id } = await createDevice({ name: "locked read", address: "192.0.2.10:8080", username: "admin", password: "pw" }, "test");
  // As after a first read (createDevice made the row): in sync at the device's revision 2.
  await db.update(deviceConfigs).set({ state: "in_sync", baseline: {}, deviceRevision: 2 }).where(eq(deviceConfigs.deviceId, id));

  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  // The other writer (as a push's record does): locks the device, writes the config, commits when released.
  const writer = db.transaction(async (tx) => {
    await tx.select({ id: devices.id }).from(devices).where(eq(devices.id, id)).for("no key update");
    await tx.update(deviceConfigs).set({ deviceRevision: 3, state: "drifted" }).where(eq(deviceConfigs.deviceId, id));
    locked();
    await held;
  });
  await isLocked;
  const reader = db.transaction((tx) => loadDesiredConfig(tx, id, true));
  // Once the reader waits for the lock (seen in pg_stat_activity), the writer commits.
  const waiters = async () => (await db.execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)) as unknown as { rows: Array<{ n: number }> };
  await eventually("the reader waits for the device lock", waiters, (r) => r.rows[0].n === 1);
  release();
  await writer;
  const seen = await reader;
  expect(seen.deviceRevision).toBe(3);
  expect(seen.state).toBe("drifted");
});
