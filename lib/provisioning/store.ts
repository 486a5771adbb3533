// Provisioning records: devices by MAC, served fetches, unknown phones.
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { devices, provisioningFetches, unknownPhones } from "@/lib/db/schema";

export type DeviceRow = typeof devices.$inferSelect;

export async function deviceByMac(mac: string): Promise<DeviceRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.mac, mac)).limit(1);
  return row;
}

export async function recordFetch(f: { deviceId: string; clientAddress: string; userAgent: string; revision: number; hash: string }): Promise<void> {
  const db = await getDb();
  await db.insert(provisioningFetches).values(f);
}

export async function recordUnknownPhone(u: { mac: string; clientAddress: string; userAgent: string }): Promise<void> {
  const db = await getDb();
  await db
    .insert(unknownPhones)
    .values(u)
    .onConflictDoUpdate({
      target: unknownPhones.mac,
      set: { lastSeenAt: new Date(), clientAddress: u.clientAddress, userAgent: u.userAgent, requests: sql`${unknownPhones.requests} + 1` },
    });
}

export interface FetchRecord {
  at: string;
  clientAddress: string;
  userAgent: string;
  revision: number;
  hash: string;
}

export async function listFetches(deviceId: string, limit = 20): Promise<FetchRecord[]> {
  const db = await getDb();
  const rows = await db.select().from(provisioningFetches).where(eq(provisioningFetches.deviceId, deviceId)).orderBy(desc(provisioningFetches.at), desc(provisioningFetches.id)).limit(limit);
  return rows.map((r) => ({ at: r.at.toISOString(), clientAddress: r.clientAddress, userAgent: r.userAgent, revision: r.revision, hash: r.hash }));
}

export async function listUnknownPhones(): Promise<Array<{ mac: string; firstSeenAt: string; lastSeenAt: string; clientAddress: string; userAgent: string; requests: number }>> {
  const db = await getDb();
  // A phone adopted meanwhile (a device with that MAC exists) is no longer unknown.
  const rows = await db
    .select()
    .from(unknownPhones)
    .where(sql`not exists (select 1 from ${devices} where ${devices.mac} = ${unknownPhones.mac})`)
    .orderBy(desc(unknownPhones.lastSeenAt));
  return rows.map((r) => ({ ...r, firstSeenAt: r.firstSeenAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString() }));
}
