"use client";
import { CAPABILITIES } from "@/lib/device/kinds";
import { StatusBadge } from "@/components/status/StatusBadge";
import { newerIso } from "@/components/status/freshness";
import { useDeviceStatus, useLiveAnswerAt } from "@/components/status/live";
import type { Device } from "./types";

/**
 * Registration status of a row: the list's snapshot, replaced live by status events (components/status), marked
 * stale when the phone's last answer (the snapshot's or a newer live event's) is older than the list's `staleAfterS`.
 * Phones that report no status of their own (provisioning) are not judged: their row says only what OPTIONS found.
 */
export function StatusCell({ device, staleAfterS }: { device: Device; staleAfterS?: number }) {
  const status = useDeviceStatus(device.id, device.status ?? null);
  const liveAnswer = useLiveAnswerAt(device.id);
  const judged = staleAfterS !== undefined && CAPABILITIES[device.driver].status;
  return <StatusBadge status={status} maintenance={device.maintenance} freshness={judged ? { lastSeenAt: newerIso(device.lastSeenAt, liveAnswer), staleAfterS } : undefined} />;
}
