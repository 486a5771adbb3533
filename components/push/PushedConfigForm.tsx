"use client";
// The device page's configuration form wired to the push pipeline: "Save and push", progress, result,
// device rejections on their fields, Retry, Read from device, drift.
import type { Device, DeviceConfig } from "@/components/api/schemas";
import { useState } from "react";
import { useDeviceProvisioning } from "@/components/api/resources";
import { ConfigForm } from "@/components/config-form/ConfigForm";
import { CAPABILITIES } from "@/lib/device/kinds";
import { NeverRead } from "./NeverRead";
import { PushPanel } from "./PushPanel";
import { useDevicePush } from "./useDevicePush";

export function PushedConfigForm({ device, config, readOnly }: { device: Device; config: DeviceConfig; readOnly: boolean }) {
  const deviceId = device.id;
  const push = useDevicePush(deviceId, config, !readOnly);
  const { readBack } = CAPABILITIES[device.driver];
  const neverRead = config.state === "never_read" || !config.values;
  // A phone that pulls its file is never "read": until it fetched, its configuration is what the portal serves it
  // (the file's content, shown as such), and a save delivers all of it.
  const served = useDeviceProvisioning(!readBack && neverRead ? deviceId : null, false).data?.served;
  // Bumped when the user chose to drop unsaved edits (after a conflict): a fresh form on the server's config.
  const [formEpoch, setFormEpoch] = useState(0);
  if (neverRead && readBack) {
    return <NeverRead deviceId={deviceId} config={config} busy={push.busy} feedback={push.feedback} canChange={!readOnly} onRead={push.sync} />;
  }
  if (neverRead && !served) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading what the portal serves this phone…
      </p>
    );
  }
  const values = neverRead ? served!.values : config.values!;
  return (
    <>
      {neverRead && (
        <p data-testid="not-fetched-yet" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-800">
          The phone has not fetched this configuration yet. These are the values the portal serves it in its file (revision {served!.revision}); a save sends check-sync so
          the phone fetches them.
        </p>
      )}
      <PushPanel
        config={config}
        readBack={readBack}
        busy={push.busy}
        feedback={push.feedback}
        canChange={!readOnly}
        onRetry={push.retry}
        onReload={async () => {
          await push.reload();
          setFormEpoch((n) => n + 1);
        }}
        onSync={push.sync}
        onAdopt={push.adopt}
        onOverwrite={push.overwrite}
      />
      <ConfigForm key={formEpoch} values={values} model={device.model} readOnly={readOnly} onSave={push.save} />
    </>
  );
}
