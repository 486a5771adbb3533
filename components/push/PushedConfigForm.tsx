"use client";
// The device page's configuration form wired to the push pipeline: "Save and push", progress, result,
// device rejections on their fields, Retry, Read from device, drift.
import type { DeviceConfig } from "@/components/api/schemas";
import { useState } from "react";
import { ConfigForm } from "@/components/config-form/ConfigForm";
import { NeverRead } from "./NeverRead";
import { PushPanel } from "./PushPanel";
import { useDevicePush } from "./useDevicePush";

export function PushedConfigForm({ deviceId, config, readOnly }: { deviceId: string; config: DeviceConfig; readOnly: boolean }) {
  const push = useDevicePush(deviceId, config, !readOnly);
  // Bumped when the user chose to drop unsaved edits (after a conflict): a fresh form on the server's config.
  const [formEpoch, setFormEpoch] = useState(0);
  if (config.state === "never_read" || !config.values) {
    return <NeverRead deviceId={deviceId} config={config} busy={push.busy} feedback={push.feedback} canChange={!readOnly} onRead={push.sync} />;
  }
  return (
    <>
      <PushPanel
        config={config}
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
      <ConfigForm key={formEpoch} values={config.values} readOnly={readOnly} onSave={push.save} />
    </>
  );
}
