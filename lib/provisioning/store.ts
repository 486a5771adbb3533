// Provisioning records: devices by MAC, served fetches, unknown phones.
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { deviceInfo, devices, provisioningFetches, unknownPhones } from "@/lib/db/schema";

export type DeviceRow = typeof devices.$inferSelect;

export async function deviceByMac(mac: string): Promise<DeviceRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.mac, mac)).limit(1);
  return row;
}

/**
 * The firmware an AudioCodes-family phone names in its User-Agent (`AUDC-IPPhone/<version> (<model>; <mac>)`), or
 * null for any other client: a provisioning phone answers nothing over HTTP, so its fetches are the only place it
 * says what it runs. Only that form counts — a browser's or curl's version is no phone's firmware.
 */
export function firmwareOfUserAgent(userAgent: string): string | null {
  const m = /^AUDC-IPPhone\/([0-9A-Za-z][0-9A-Za-z._-]{0,39})(?: |$)/.exec(userAgent);
  return m ? m[1] : null;
}

/** One fetch, and the firmware its User-Agent names (the list's firmware column, read at the fetch's time). */
export async function recordFetch(f: { deviceId: string; clientAddress: string; userAgent: string; revision: number; hash: string }): Promise<void> {
  const db = await getDb();
  const firmware = firmwareOfUserAgent(f.userAgent);
  await db.transaction(async (tx) => {
    const [row] = await tx.insert(provisioningFetches).values(f).returning({ at: provisioningFetches.at });
    if (firmware) await tx.insert(deviceInfo).values({ deviceId: f.deviceId, firmware, readAt: row.at }).onConflictDoUpdate({ target: deviceInfo.deviceId, set: { firmware, readAt: row.at } });
  });
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
