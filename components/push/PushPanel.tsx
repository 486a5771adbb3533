"use client";
// Push feedback on the device page: sync line, result banner, classified error with Retry, drift banner.
import { useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { DiffView } from "@/components/revisions/DiffView";
import { RelativeTime } from "@/components/status/StatusBadge";
import type { DeviceConfig } from "@/components/api/schemas";
import type { PushBusy, PushFeedback } from "./useDevicePush";

/** The two answers to drift, each confirmed with the exact changes it makes. */
const CONFIRM = {
  overwrite: {
    verb: "Overwrite",
    what: "The portal pushes its values to the phone; what was changed on the phone itself is lost:",
    headings: { from: "Phone now", to: "After overwrite" },
    caption: "What the overwrite changes on the phone",
    failure: "Could not overwrite the phone",
  },
  adopt: {
    verb: "Adopt",
    what: "The phone's values become the portal's configuration for it; nothing is sent to the phone:",
    headings: { from: "Portal now", to: "After adopting" },
    caption: "What adopting changes in the portal",
    failure: "Could not adopt the phone's values",
  },
} as const;


type Failure = Extract<PushFeedback, { kind: "error" }> | null;

/** What happened, in the admin's terms: a conflict or a rejection saved nothing; a transport failure keeps it pending. */
function errorTitle(failed: Failure, recorded: { code: string } | null): string {
  if (failed?.action === "sync") return "Could not read from the device";
  const code = failed?.code ?? recorded?.code;
  if (code === "conflict") return "Not pushed — the configuration changed meanwhile";
  if (code === "rejected_by_device" || code === "validation_failed") return "Not pushed — fix the fields marked below";
  return "Push failed — the change is saved and pending";
}

export function PushPanel(props: {
  config: DeviceConfig;
  /** The driver reads the phone back (api, web); false: the phone fetches its file, the portal proves delivery only. */
  readBack: boolean;
  busy: PushBusy;
  feedback: PushFeedback;
  canChange: boolean;
  onRetry: () => void;
  onReload: () => void;
  onSync: () => void;
  onAdopt: () => void;
  onOverwrite: () => void;
}) {
  const { config, busy, feedback, canChange, readBack } = props;
  const [confirming, setConfirming] = useState<"adopt" | "overwrite" | null>(null);
  // The phone's local changes, as portal value → phone value.
  const drift = Object.fromEntries(Object.entries(config.drift ?? {}).map(([key, d]) => [key, { from: d.expected, to: d.actual }]));
  const n = Object.keys(drift).length;
  const changesText = `${n} local ${n === 1 ? "change" : "changes"}`;
  const failed = feedback?.kind === "error" ? feedback : null;
  // A failure recorded earlier (e.g. before this page was opened) still offers Retry.
  const recorded = !failed && config.state === "push_failed" && config.lastError ? config.lastError : null;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
        {readBack ? (
          <span data-testid="last-synced">{config.syncedAt ? <>Last read from the phone <RelativeTime iso={config.syncedAt} /></> : "Never read from the phone"}</span>
        ) : (
          <span data-testid="last-synced">The portal cannot read this phone: it proves only which revision the phone fetched (see its fetches above).</span>
        )}
        {readBack && config.deviceRevision !== null && <span>· device revision {config.deviceRevision}</span>}
        {canChange && readBack && (
          <Button size="sm" onClick={props.onSync} disabled={busy !== null}>
            {busy === "sync" ? "Reading…" : "Read from device"}
          </Button>
        )}
      </div>
      <div aria-live="polite">
        {busy && busy !== "sync" && (
          <p role="status" className="text-sm text-blue-800" data-testid="push-progress">
            {busy === "adopt" ? "Adopting device values…" : readBack ? "Pushing to the device…" : "Sending check-sync and waiting for the phone to fetch its file…"}
          </p>
        )}
        {feedback?.kind === "pushed" && (
          <Alert tone="success" testId="push-result">
            {!readBack
              ? feedback.noop
                ? `Nothing to deliver — the phone already fetched this configuration (fetched revision ${feedback.deviceRevision}).`
                : `Delivered — the phone fetched revision ${feedback.deviceRevision} (it cannot be read back).`
              : feedback.noop
                ? `Nothing to push — the device already holds this configuration (device revision ${feedback.deviceRevision}).`
                : `Pushed — device revision ${feedback.deviceRevision}, verified by read-back.`}
          </Alert>
        )}
        {feedback?.kind === "synced" && (
          <Alert tone="info" testId="sync-result">
            Read from device — revision {feedback.deviceRevision}
            {feedback.drifted ? "; it differs from what the portal pushed." : "."}
          </Alert>
        )}
        {feedback?.kind === "adopted" && (
          <Alert tone="success" testId="push-result">
            Adopted the device&apos;s values.
          </Alert>
        )}
      </div>
      {(failed || recorded) && (
        <Alert testId="push-error" title={errorTitle(failed, recorded)}>
          <p>
            {failed?.message ?? recorded?.message} <span className="font-mono text-xs">({failed?.code ?? recorded?.code})</span>
          </p>
          {canChange && failed?.code === "conflict" && failed.action === "push" ? (
            <Button size="sm" className="mt-2" onClick={props.onReload} disabled={busy !== null}>
              Reload the configuration (drops your unsaved changes)
            </Button>
          ) : (
            canChange &&
            (failed?.action === "push" || recorded) && (
              <Button size="sm" className="mt-2" onClick={props.onRetry} disabled={busy !== null}>
                Retry
              </Button>
            )
          )}
        </Alert>
      )}
      {n > 0 && (
        <div role="region" aria-label="Drift" data-testid="drift-banner" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-semibold">The device was changed locally: it differs from what the portal pushed.</p>
          <DiffView changes={drift} headings={{ from: "Portal", to: "Phone" }} caption="The phone's local changes" testId="drift-diff" />
          {canChange && (
            <div className="mt-2 flex gap-2">
              <Button size="sm" onClick={() => setConfirming("adopt")} disabled={busy !== null}>
                Adopt device values
              </Button>
              <Button size="sm" variant="danger" onClick={() => setConfirming("overwrite")} disabled={busy !== null}>
                Overwrite device
              </Button>
            </div>
          )}
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          open
          title={`${CONFIRM[confirming].verb} the phone's ${changesText}?`}
          confirmLabel={`${CONFIRM[confirming].verb} ${changesText}`}
          variant={confirming === "overwrite" ? "danger" : "primary"}
          failure={CONFIRM[confirming].failure}
          wide
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            setConfirming(null);
            (confirming === "overwrite" ? props.onOverwrite : props.onAdopt)();
          }}
        >
          <p className="mb-2">{CONFIRM[confirming].what}</p>
          <DiffView
            changes={confirming === "overwrite" ? Object.fromEntries(Object.entries(drift).map(([k, d]) => [k, { from: d.to, to: d.from }])) : drift}
            headings={CONFIRM[confirming].headings}
            caption={CONFIRM[confirming].caption}
            testId={`${confirming}-diff`}
          />
        </ConfirmDialog>
      )}
    </div>
  );
}
