"use client";
import { useState, type ReactNode } from "react";
import { Alert } from "./Alert";
import { Button, type ButtonVariant } from "./Button";
import { Dialog } from "./Dialog";

/**
 * A second look before a risky action: a title that names what will happen ("Overwrite the phone's 3 local
 * changes?"), what exactly, Cancel, and a button that runs `onConfirm` (its failure is shown in the dialog).
 */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  variant = "danger",
  failure,
  errorTestId,
  wide,
  onClose,
  onConfirm,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  variant?: ButtonVariant;
  /** What went wrong, in the admin's words ("Could not remove the device"). */
  failure: string;
  errorTestId?: string;
  wide?: boolean;
  onClose: () => void;
  /** Throws to keep the dialog open with the error. */
  onConfirm: () => Promise<void>;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
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
    <Dialog open={open} onClose={close} title={title} wide={wide}>
      <div className="text-sm text-slate-700">{children}</div>
      {error && <Alert testId={errorTestId}>{error}</Alert>}
      <div className="flex justify-end gap-2">
        <Button onClick={close}>Cancel</Button>
        <Button variant={variant} onClick={confirm} disabled={busy}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
