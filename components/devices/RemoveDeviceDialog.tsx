"use client";
import { ConfirmDeleteDialog } from "@/components/ui/ConfirmDeleteDialog";
import type { Device } from "./types";

export function RemoveDeviceDialog({
  device,
  onClose,
  onRemoved,
}: {
  device: Device | null;
  onClose: () => void;
  onRemoved: (device: Device) => void;
}) {
  return (
    <ConfirmDeleteDialog
      open={device !== null}
      title="Remove device"
      confirmLabel="Remove"
      url={device ? `/api/v1/devices/${encodeURIComponent(device.id)}` : null}
      failure="Could not remove the device"
      errorTestId="remove-error"
      onClose={onClose}
      onDeleted={() => device && onRemoved(device)}
    >
      Remove <strong>{device?.name}</strong> ({device?.address}) from the inventory? Its stored configuration and
      history go with it. The phone itself is not changed.
    </ConfirmDeleteDialog>
  );
}
