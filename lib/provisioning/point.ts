// "Point at the provisioning server": a phone managed through its web interface (driver `web`) becomes a
// provisioning phone. One operation, called by POST /api/v1/devices/{id}/provisioning/point:
//   1. refuse what would go wrong before touching the phone: not a web phone; its config not in sync (the phone will
//      take the portal's WHOLE configuration from the file, so a pending change, drift or never-read state would be
//      delivered blind); its line has a SIP password the portal does not hold (the file would clear it); the phone's
//      MAC (its info page) differs from the inventory's or belongs to another device;
//   2. write the family's provisioning keys through the web interface's provisioning form — method static
//      (ASU_METHOD=2) and the Configuration URL (CFG_URL) with the phone's provisioning credentials inside — and read
//      them back from the phone's own file (`provisioning/method=STATIC`, `provisioning/configuration/url`): the proof;
//   3. change the device's driver to `provisioning` (and store the MAC read from the phone), audited in the same
//      transaction;
//   4. ask the phone to fetch now (the form's NOW_CFG=1) and wait for its fetch of the current revision (at most
//      PROVISIONING_FETCH_TIMEOUT_S). No fetch is not a failure of the switch — the phone is verifiably pointed at
//      the portal and fetches at its next boot or periodic update — and the reply says so.
import "server-only";
import { eq } from "drizzle-orm";
import { getDesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { devices } from "@/lib/db/schema";
import { connectWebDevice, DeviceError } from "@/lib/device";
import { fetchTimeoutMs, waitForFetch } from "@/lib/device/drivers/provisioning";
import { DRIVER_LABELS } from "@/lib/device/kinds";
import { AppError, parseWith } from "@/lib/errors";
import { normalizeMac } from "@/lib/inventory/device-input";
import { duplicateMac, getDevice, getDeviceCredentials, isUniqueViolation, provisioningCredentialsOf } from "@/lib/inventory/devices";
import { SECRET_MASK } from "@/lib/params";
import { pushError } from "@/lib/push";
import { pointAtProvisioningInputSchema, type PointAtProvisioningResult } from "./schemas";
import { PROVISIONING_KEYS } from "./render";
import { provisioningSettings } from "./settings";
import { deviceByMac } from "./store";
import { provisioningUrl, redactedUrl } from "./url";

const LINE_PASSWORD = "voip/line/0/auth_password";
/** The provisioning form's codes (emulator/src/web/auto-provision.ts; elastix AudioCodes.py): 2 = static URL. */
const FORM = { method: "ASU_METHOD", staticMethod: "2", url: "CFG_URL", fetchNow: "NOW_CFG" } as const;

export async function pointAtProvisioning(deviceId: string, input: unknown, actor: string): Promise<PointAtProvisioningResult> {
  const { portalUrl } = parseWith(pointAtProvisioningInputSchema, input);
  const device = await getDeviceCredentials(deviceId);
  if (device.driver !== "web")
    throw new AppError(
      "conflict",
      `${device.name} uses the driver "${DRIVER_LABELS[device.driver]}"; only a phone managed through its web interface can be pointed at the provisioning server from the portal`,
    );
  const desired = await getDesiredConfig(deviceId);
  if (desired.state !== "in_sync")
    throw new AppError(
      "conflict",
      `${device.name}'s configuration is not in sync (${desired.state.replace(/_/g, " ")}): after the switch the phone takes the portal's whole configuration from its file, so read it, push or resolve the drift first`,
    );
  const phone = connectWebDevice(device);
  try {
    const [info, read] = await Promise.all([phone.info(), phone.getConfig()]);
    const mac = normalizeMac(info.mac);
    if (!mac) throw new AppError("conflict", `${device.name} reports the MAC "${info.mac}", which is not a MAC address; the portal cannot name its file`);
    if (device.mac && device.mac !== mac)
      throw new AppError("conflict", `${device.name} reports the MAC ${info.mac}, but the inventory holds ${device.mac} for it; correct the device's MAC first`);
    const holder = await deviceByMac(mac);
    if (holder && holder.id !== deviceId) throw duplicateMac(mac);
    if (read.values[LINE_PASSWORD] === SECRET_MASK && !desired.values[LINE_PASSWORD])
      throw new AppError(
        "conflict",
        `${device.name}'s line has a SIP password the portal does not hold; the file the phone would fetch would clear it. Enter the line's SIP password in its configuration and save it first`,
        { fields: { [LINE_PASSWORD]: "The phone has a SIP password the portal does not know" } },
      );

    const own = await provisioningCredentialsOfDevice(deviceId);
    const configUrl = provisioningUrl(portalUrl, own ?? provisioningSettings().shared);
    await phone.submitAutoProvision({ [FORM.method]: FORM.staticMethod, [FORM.url]: configUrl });
    const back = await phone.readOwnFile();
    if (back[PROVISIONING_KEYS.method] !== "STATIC" || back[PROVISIONING_KEYS.configUrl] !== configUrl)
      throw new AppError(
        "verify_failed",
        `${device.name} accepted the provisioning form but reads back method "${back[PROVISIONING_KEYS.method] ?? "(none)"}" and URL "${back[PROVISIONING_KEYS.configUrl] ? redactedUrl(back[PROVISIONING_KEYS.configUrl]) : "(none)"}"; its driver was not changed`,
      );

    const shownUrl = redactedUrl(configUrl);
    const db = await getDb();
    try {
      await db.transaction(async (tx) => {
        await tx.update(devices).set({ driver: "provisioning", mac, updatedAt: new Date() }).where(eq(devices.id, deviceId));
        await audit(tx, {
          actor,
          action: "device.point_at_provisioning",
          targetType: "device",
          targetId: deviceId,
          details: { before: { driver: device.driver, mac: device.mac }, after: { driver: "provisioning", mac }, configUrl: shownUrl, sharedCredentials: own === null },
        });
      });
    } catch (err) {
      throw isUniqueViolation(err) ? duplicateMac(mac) : err;
    }

    const ms = fetchTimeoutMs();
    const since = new Date();
    const waiting = waitForFetch(deviceId, desired.revision, ms, since);
    let asked = "";
    try {
      await phone.submitAutoProvision({ [FORM.fetchNow]: "1" });
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      asked = ` (asking it to fetch now failed: ${e.message})`;
    }
    const fetched = await waiting;
    const message =
      fetched !== null
        ? `${device.name} now fetches its configuration from the portal: the phone holds ${shownUrl} (read back) and fetched revision ${fetched}`
        : `${device.name} is pointed at the portal (the phone holds ${shownUrl}, read back), but did not fetch its file within ${ms / 1000} s${asked}; it fetches at its next boot or periodic update — the device page lists its fetches`;
    return { device: await getDevice(deviceId), configUrl: shownUrl, fetched: fetched === null ? null : { revision: fetched }, message };
  } catch (e) {
    await recordFailure(deviceId, actor, e);
    if (e instanceof DeviceError) throw pushError({ code: e.code, message: e.message, retryable: e.retryable, ...(e.fields ? { fields: e.fields } : {}) });
    throw e;
  }
}

async function provisioningCredentialsOfDevice(deviceId: string) {
  const db = await getDb();
  const [row] = await db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
  return row ? provisioningCredentialsOf(row) : null;
}

/** A refused or failed attempt is on the audit trail too (who tried, why it did not happen). */
async function recordFailure(deviceId: string, actor: string, e: unknown): Promise<void> {
  if (!(e instanceof AppError) && !(e instanceof DeviceError)) return;
  await audit(await getDb(), {
    actor,
    action: "device.point_at_provisioning_failed",
    targetType: "device",
    targetId: deviceId,
    details: { code: e.code, message: e.message },
  });
}
