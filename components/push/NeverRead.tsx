"use client";
// A phone the portal has not read yet: nothing to show as "its" configuration (catalog defaults are not the
// phone's values), so no form — a clear message, "Read now", and whether the phone can be reached at all.
import { useDeviceReach } from "@/components/api/resources";
import type { DeviceConfig } from "@/components/api/schemas";
import { Button } from "@/components/ui/Button";
import type { PushBusy, PushFeedback } from "./useDevicePush";

const UNREACHABLE_CODES = new Set(["unreachable", "timeout", "unauthorized", "malformed_reply", "device_error"]);

export function NeverRead({
  deviceId,
  config,
  busy,
  feedback,
  canChange,
  onRead,
}: {
  deviceId: string;
  config: DeviceConfig;
  busy: PushBusy;
  feedback: PushFeedback;
  canChange: boolean;
  onRead: () => void;
}) {
  const reach = useDeviceReach(deviceId, true).data;
  const readFailure = feedback?.kind === "error" ? feedback : null;
  // Why it cannot be read: this page's own attempt, the portal's last attempt, or the poller's view.
  const reason =
    readFailure && UNREACHABLE_CODES.has(readFailure.code)
      ? readFailure.message
      : config.lastError
        ? config.lastError.message
        : reach?.state === "unreachable"
          ? (reach.lastError ?? "The phone does not answer the portal.")
          : null;
  const reading = busy === "sync";
  return (
    <div
      role="region"
      aria-labelledby="never-read-title"
      data-testid="never-read"
      data-reachable={reason ? "false" : "unknown"}
      className={reason ? "rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900" : "rounded-md border border-slate-300 bg-white px-4 py-3 text-sm text-slate-800"}
    >
      <h3 id="never-read-title" className="font-semibold">
        {reason ? "This phone cannot be read" : "Not read from the phone yet"}
      </h3>
      {reason ? (
        <p className="mt-1">
          The portal has never read this phone&apos;s configuration and cannot reach it: {reason} Nothing can be shown or changed until the phone answers;
          the portal keeps trying by itself.
        </p>
      ) : (
        <p className="mt-1">
          The portal has not read this phone&apos;s configuration yet, so there is nothing to show or change. New phones are read automatically; this
          page updates as soon as the values arrive.
        </p>
      )}
      <p role="status" aria-live="polite" className="mt-1 text-xs">
        {reading ? "Reading the phone…" : ""}
      </p>
      {canChange && (
        <Button size="sm" className="mt-2" onClick={onRead} disabled={busy !== null}>
          {reading ? "Reading…" : reason ? "Try to read again" : "Read now"}
        </Button>
      )}
    </div>
  );
}
