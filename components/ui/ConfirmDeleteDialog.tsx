"use client";
import { useState } from "react";
import { Alert } from "./Alert";
import { apiFetch } from "./api-client";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

/** "Are you sure?" for a DELETE: the question, Cancel, and a danger button that sends it and shows a failure. */
export function ConfirmDeleteDialog({
  open,
  title,
  confirmLabel,
  url,
  failure,
  errorTestId,
  onClose,
  onDeleted,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  /** The resource's API URL; confirming sends DELETE to it. */
  url: string | null;
  /** What went wrong, in the admin's words ("Could not remove the device"). */
  failure: string;
  errorTestId: string;
  onClose: () => void;
  onDeleted: () => void;
  children: React.ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    if (!url) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(url, { method: "DELETE" });
      onDeleted();
    } catch (e) {
      setError(e instanceof Error ? `${failure}: ${e.message}` : failure);
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setError(null);
    onClose();
  }

  return (
    <Dialog open={open} onClose={close} title={title}>
      <p className="text-sm text-slate-700">{children}</p>
      {error && <Alert testId={errorTestId}>{error}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={close}>Cancel</Button>
        <Button variant="danger" onClick={confirm} disabled={busy}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
