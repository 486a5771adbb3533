"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { apiFetch } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    if (!device) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/v1/devices/${encodeURIComponent(device.id)}`, { method: "DELETE" });
      onRemoved(device);
    } catch (e) {
      setError(e instanceof Error ? `Could not remove the device: ${e.message}` : "Could not remove the device");
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setError(null);
    onClose();
  }

  return (
    <Dialog open={device !== null} onClose={close} title="Remove device">
      <p className="text-sm text-slate-700">
        Remove <strong>{device?.name}</strong> ({device?.address}) from the inventory? Its stored configuration and
        history go with it. The phone itself is not changed.
      </p>
      {error && <Alert testId="remove-error">{error}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={close}>Cancel</Button>
        <Button variant="danger" onClick={remove} disabled={busy}>
          Remove
        </Button>
      </div>
    </Dialog>
  );
}
