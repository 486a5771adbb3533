"use client";
import { StatusBadge } from "@/components/status/StatusBadge";
import { useDeviceStatus } from "@/components/status/live";
import type { Device } from "./types";

/** Registration status of a row: the list's snapshot, replaced live by status events (components/status). */
export function StatusCell({ device }: { device: Device }) {
  const status = useDeviceStatus(device.id, device.status ?? null);
  return <StatusBadge status={status} maintenance={device.maintenance} />;
}
