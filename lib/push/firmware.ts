// The phone's firmware version as the phone reports it (GET /device on the JSON API, info.htm on the web interface),
// stored with the time of the read. Provisioning phones answer nothing over HTTP: their firmware comes from the User-Agent
// of their fetches (lib/provisioning/store firmwareOfUserAgent), else they stay "not read yet".
import "server-only";
import { getDb } from "@/lib/db";
import { deviceInfo } from "@/lib/db/schema";
import { isDeviceError } from "@/lib/device";
import { deviceClientFor, type DriverFor } from "./device";

/** Reads and stores the firmware; false when the phone could not say (the stored value, if any, stays with its time). */
export async function readFirmware(deviceId: string, driverFor: DriverFor = deviceClientFor): Promise<boolean> {
  const driver = await driverFor(deviceId);
  if (!driver.capabilities.status) return false; // a provisioning phone: nothing answers over HTTP
  let firmware: string;
  try {
    firmware = (await driver.info()).firmware;
  } catch (err) {
    if (isDeviceError(err)) return false;
    throw err;
  }
  const readAt = new Date();
  await (await getDb())
    .insert(deviceInfo)
    .values({ deviceId, firmware, readAt })
    .onConflictDoUpdate({ target: deviceInfo.deviceId, set: { firmware, readAt } });
  return true;
}
