"use client";
import { useState } from "react";
import { urls, useDeviceConfig, useRevision } from "@/components/api/resources";
import { restoreResultSchema } from "@/components/api/schemas";
import { Alert } from "@/components/ui/Alert";
import { apiFetch, errorMessage } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { EDITABLE_PARAMS, isApplicable } from "@/lib/params";
import { DiffView, type Changes } from "./DiffView";
import type { RevisionSummary } from "./RevisionsPanel";

type Values = Record<string, string | number | null>;

/** What a restore would change in the desired config: applicable, non-secret keys (the server decides the same). */
function restoreDiff(current: Values, snapshot: Values): Changes {
  const out: Changes = {};
  const merged = { ...current, ...snapshot };
  for (const p of EDITABLE_PARAMS) {
    if (p.secret || !(p.key in snapshot) || !isApplicable(p, merged)) continue;
    if (current[p.key] !== snapshot[p.key]) out[p.key] = { from: current[p.key] ?? null, to: snapshot[p.key] };
  }
  return out;
}

export function RestoreDialog({ deviceId, revision, onClose, onRestored }: { deviceId: string; revision: RevisionSummary; onClose: () => void; onRestored: (message: string) => void }) {
  const snapshot = useRevision(deviceId, revision.id);
  const current = useDeviceConfig(deviceId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const diff = snapshot.data && current.data ? restoreDiff(current.data.values ?? {}, snapshot.data.values) : null;
  const loadError = snapshot.error ?? current.error;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch(`${urls.revision(deviceId, revision.id)}/restore`, { method: "POST", schema: restoreResultSchema });
      onRestored(r.push.noop ? "The device already had this revision; nothing was sent." : `Restored revision #${revision.id}; the device is now at revision ${r.push.deviceRevision}.`);
    } catch (e) {
      setError(errorMessage(e, "The restore failed unexpectedly."));
      setBusy(false);
    }
  }

  const n = diff ? Object.keys(diff).length : 0;
  const shownError = error ?? (loadError ? errorMessage(loadError, "Loading the revision failed") : null);
  return (
    <Dialog open onClose={onClose} wide title={`Restore revision #${revision.id}?`} description={`Saved ${new Date(revision.at).toLocaleString()} by ${revision.actor}. The restore is pushed to the device as a new revision; secrets are kept.`}>
      {shownError && <Alert testId="restore-error" title="Not restored">{shownError}</Alert>}
      {!diff && !shownError && <p role="status" className="text-sm text-slate-600">Comparing with the current configuration…</p>}
      {diff && (
        <div className="max-h-96 overflow-y-auto">
          <p className="mb-2 text-sm text-slate-700">{n === 0 ? "The configuration already matches this revision; the device is checked and corrected if it differs." : `${n} ${n === 1 ? "parameter changes" : "parameters change"}:`}</p>
          <DiffView changes={diff} caption="What the restore changes" testId="restore-diff" />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="primary" onClick={confirm} disabled={busy || !diff}>
          {busy ? "Restoring…" : "Restore and push"}
        </Button>
      </div>
    </Dialog>
  );
}
