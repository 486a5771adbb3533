"use client";
// The device page's configuration form wired to the push pipeline: "Save and push", progress, result,
// device rejections on their fields, Retry, Read from device, drift.
import { ConfigForm } from "@/components/config-form/ConfigForm";
import { PushPanel } from "./PushPanel";
import type { PushConfig } from "./types";
import { useDevicePush } from "./useDevicePush";

export function PushedConfigForm<C extends PushConfig>({
  base,
  config,
  onConfig,
  readOnly,
}: {
  /** /api/v1/devices/<id> */
  base: string;
  config: C;
  onConfig: (c: C) => void;
  readOnly: boolean;
}) {
  const push = useDevicePush(base, config, onConfig, !readOnly);
  return (
    <>
      <PushPanel
        config={config}
        busy={push.busy}
        feedback={push.feedback}
        canChange={!readOnly}
        onRetry={push.retry}
        onReload={push.reload}
        onSync={push.sync}
        onAdopt={push.adopt}
        onOverwrite={push.overwrite}
      />
      <ConfigForm values={config.values} readOnly={readOnly} onSave={push.save} />
    </>
  );
}
