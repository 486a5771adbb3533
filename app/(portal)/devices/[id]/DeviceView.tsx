"use client";
import Link from "next/link";
import { useDevice, useDeviceConfig } from "@/components/api/resources";
import type { ConfigState } from "@/components/api/schemas";
import { Alert } from "@/components/ui/Alert";
import { ApiError } from "@/components/ui/api-client";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { PushedConfigForm } from "@/components/push/PushedConfigForm";
import { DeviceStatusPanel } from "@/components/status/DeviceStatusPanel";
import { RelativeTime } from "@/components/status/StatusBadge";
import { BackupPanel } from "@/components/backup/BackupPanel";
import { RevisionsPanel } from "@/components/revisions/RevisionsPanel";
import { DriverPanel } from "@/components/devices/DriverPanel";
import { MODEL_LABELS } from "@/components/devices/kinds";
import { formatMac } from "@/components/provisioning/format";
import { DRIVER_LABELS } from "@/lib/device/kinds";

const STATE_BADGE: Record<ConfigState, { tone: BadgeTone; text: string; hint: string }> = {
  never_read: { tone: "neutral", text: "Never read", hint: "The portal has not read this phone's configuration yet" },
  pending_push: { tone: "amber", text: "Pending push", hint: "Saved in the portal; not yet applied to the device" },
  in_sync: { tone: "green", text: "In sync", hint: "The device has this configuration" },
  drifted: { tone: "amber", text: "Drifted", hint: "The device was changed locally: it differs from what the portal pushed" },
  push_failed: { tone: "red", text: "Push failed — pending", hint: "The last push failed; the desired configuration is kept and can be retried" },
};

export function DeviceView({ deviceId, role }: { deviceId: string; role: "admin" | "viewer" }) {
  const deviceQuery = useDevice(deviceId);
  const configQuery = useDeviceConfig(deviceId);
  const readOnly = role !== "admin";
  const failed = deviceQuery.error ?? configQuery.error;

  if (failed) {
    const notFound = failed instanceof ApiError && failed.status === 404;
    return (
      <div className="flex flex-col gap-3">
        <BackLink />
        <Alert testId="device-error" title={notFound ? "Device not found" : "Could not load the device"}>
          <p>{failed.message}</p>
        </Alert>
        {!notFound && (
          <Button
            className="self-start"
            onClick={() => {
              void deviceQuery.refetch();
              void configQuery.refetch();
            }}
          >
            Try again
          </Button>
        )}
      </div>
    );
  }
  if (!deviceQuery.data || !configQuery.data) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading device…
      </p>
    );
  }

  const device = deviceQuery.data;
  const config = configQuery.data;
  // A phone that pulls its file is never "read": until its first fetch it has "not fetched yet".
  const badge =
    config.state === "never_read" && device.driver === "provisioning"
      ? { tone: "neutral" as const, text: "Not fetched yet", hint: "The phone has not fetched its configuration file from the portal yet" }
      : (STATE_BADGE[config.state] ?? STATE_BADGE.never_read);
  return (
    <div className="flex flex-col gap-5">
      <header className="flex flex-col gap-2">
        <BackLink />
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h1 className="text-xl font-semibold text-slate-900">{device.name}</h1>
          <span title={badge.hint} data-testid="config-state">
            <Badge tone={badge.tone}>{badge.text}</Badge>
          </span>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
          <dt className="text-slate-600">Address</dt>
          <dd className="font-mono text-slate-800">{device.address}</dd>
          <dt className="text-slate-600">Driver</dt>
          <dd className="text-slate-800" data-testid="device-driver">
            {DRIVER_LABELS[device.driver]}
          </dd>
          <dt className="text-slate-600">Model</dt>
          <dd className="text-slate-800" data-testid="device-model">
            {MODEL_LABELS[device.model]}
          </dd>
          <dt className="text-slate-600">MAC</dt>
          <dd className="font-mono text-slate-800" data-testid="device-mac">
            {device.mac ? formatMac(device.mac) : "—"}
          </dd>
          {(device.sipAddress || device.driver === "provisioning") && (
            <>
              <dt className="text-slate-600">SIP address</dt>
              <dd className="font-mono text-slate-800">{device.sipAddress ?? <span className="font-sans text-slate-600">its registered contact, else its address on 5060</span>}</dd>
            </>
          )}
          <dt className="text-slate-600">Site</dt>
          <dd className="text-slate-800">{device.site || "—"}</dd>
          <dt className="text-slate-600">Tags</dt>
          {/* Chips keep their own height when the next line wraps (no stretching in the grid row). */}
          <dd className="flex flex-wrap content-start items-start gap-1 self-start">
            {device.tags.length ? device.tags.map((t) => <Badge key={t}>{t}</Badge>) : <span className="text-slate-800">—</span>}
          </dd>
          <dt className="text-slate-600">Config</dt>
          <dd className="text-slate-800">
            revision {config.revision}
            {config.updatedAt && (
              <span className="text-slate-600">
                {" "}· saved <RelativeTime iso={config.updatedAt} />
                {config.updatedBy && ` by ${config.updatedBy}`}
              </span>
            )}
            {config.lastPushAt && (
              <span className="text-slate-600">
                {" "}· last pushed <RelativeTime iso={config.lastPushAt} />
              </span>
            )}
          </dd>
        </dl>
      </header>

      <DriverPanel device={device} canChange={!readOnly} />

      <DeviceStatusPanel deviceId={deviceId} canChange={!readOnly} />

      <section aria-labelledby="config-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="config-title" className="text-base font-semibold text-slate-900">
            Configuration
          </h2>
          {readOnly && <p className="text-sm text-slate-600">Read-only: viewers can look but not change.</p>}
        </div>
        <PushedConfigForm device={device} config={config} readOnly={readOnly} />
      </section>

      {/* History and backup (issue 5): a restore or an uploaded file is a push; they invalidate the device's URLs. */}
      <RevisionsPanel deviceId={deviceId} canRestore={!readOnly} />
      <BackupPanel deviceId={deviceId} canUpload={!readOnly} />
    </div>
  );
}

function BackLink() {
  return (
    <Link href="/devices" className="self-start text-sm text-blue-700 hover:underline">
      ← Devices
    </Link>
  );
}
