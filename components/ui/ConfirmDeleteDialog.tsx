"use client";
import { apiFetch } from "./api-client";
import { ConfirmDialog } from "./ConfirmDialog";

/** "Are you sure?" for a DELETE: the question, Cancel, and a danger button that sends it and shows a failure. */
export function ConfirmDeleteDialog({
  url,
  onDeleted,
  errorTestId,
  ...rest
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
  return (
    <ConfirmDialog
      {...rest}
      errorTestId={errorTestId}
      onConfirm={async () => {
        if (!url) return;
        await apiFetch(url, { method: "DELETE" });
        onDeleted();
      }}
    />
  );
}
