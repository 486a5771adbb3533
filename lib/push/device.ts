// The driver for an inventory device (lib/device/drivers), with its stored (decrypted) credentials. The one place
// lib/push (save, sync, background reads) and lib/jobs reach a phone.
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { devices } from "@/lib/db/schema";
import { driverFor, type DeviceDriver } from "@/lib/device/drivers";
import { getDeviceCredentials, isUuid } from "@/lib/inventory/devices";
import type { ModelId } from "@/lib/params";

/** Resolves an inventory device to its driver (per-call deadline from DEVICE_TIMEOUT_MS). */
export type DriverFor = (deviceId: string) => Promise<DeviceDriver>;

export const deviceClientFor: DriverFor = async (deviceId) => driverFor(await getDeviceCredentials(deviceId));

/** The device's model (its key tree: what it lacks is refused before any phone is contacted); null = no such device. */
export async function modelOf(deviceId: string): Promise<ModelId | null> {
  if (!isUuid(deviceId)) return null;
  const db = await getDb();
  const [row] = await db.select({ model: devices.model }).from(devices).where(eq(devices.id, deviceId)).limit(1);
  return row?.model ?? null;
}
