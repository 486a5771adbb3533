import { handler, reply } from "@/lib/api/handler";
import { deviceStatusSchema } from "@/lib/poller/schemas";
import { getDb } from "@/lib/db";
import { getDevice } from "@/lib/inventory/devices";
import { getPoller, readDeviceStatus } from "@/lib/poller";
import { withRegistrar } from "@/lib/registrars";
import { CAPABILITIES } from "@/lib/device/kinds";
import { sipTargetOf } from "@/lib/device/drivers/provisioning";
import { proxyProber } from "@/lib/proxy-health";
import { lastAnswerIso, staleAfterS } from "@/lib/poller/freshness";

export const dynamic = "force-dynamic";

/** Current registration + keep-alive health + recent transitions (newest first) + what the registrars say. */
export const GET = handler<{ id: string }>(async (_req, { params }) => {
  const device = await getDevice(params.id); // 404 for unknown ids
  const view = await readDeviceStatus(await getDb(), params.id);
  // Keep-alive times change every probe and are not written to the database; the running poller has the freshest.
  const poller = getPoller();
  const latest = poller?.latestStatus(params.id);
  if (latest && view.state !== "unreachable") {
    view.keepAlive = latest.status.keepAlive;
    view.expiresAt = latest.status.expiresAt;
  }
  // A phone that reports no status itself: its reachability is what the prober's SIP OPTIONS found.
  const reachability = CAPABILITIES[device.driver].status ? null : proxyProber().reachabilityOf(device.id, sipTargetOf({ ...device, password: null }));
  // The last answer: stored by whichever process polls the phone, or newer in this process's poller.
  view.lastSeenAt = lastAnswerIso(view.lastSeenAt, poller?.lastSeen(params.id));
  return reply(deviceStatusSchema, { ...withRegistrar(params.id, view, device.maintenance, reachability), staleAfterS: staleAfterS() });
});
