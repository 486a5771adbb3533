"use client";
// The device list's config-state column and filter (issue 10): what the portal knows of each phone's configuration.
import { CONFIG_STATES, type ConfigState } from "@/lib/states";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { SelectField } from "@/components/ui/SelectField";

export const CONFIG_STATE_LABELS: Readonly<Record<ConfigState, { label: string; tone: BadgeTone; hint: string }>> = {
  in_sync: { label: "In sync", tone: "green", hint: "The phone holds the configuration the portal has" },
  drifted: { label: "Drifted", tone: "amber", hint: "Changed on the phone itself: it differs from what the portal pushed" },
  pending_push: { label: "Pending", tone: "amber", hint: "Saved in the portal, not yet on the phone" },
  push_failed: { label: "Push failed", tone: "red", hint: "The last push failed; the change is kept and can be retried" },
  never_read: { label: "Never read", tone: "neutral", hint: "The portal has not read this phone's configuration yet" },
};

export function ConfigStateCell({ state }: { state: ConfigState | undefined }) {
  if (!state) return <span className="text-slate-500">—</span>;
  const s = CONFIG_STATE_LABELS[state];
  return (
    <span title={s.hint} data-testid="config-state-cell">
      <Badge tone={s.tone}>{s.label}</Badge>
    </span>
  );
}

const CONFIG_STATE_OPTIONS = [{ value: "", label: "Any config state" }, ...CONFIG_STATES.map((s) => ({ value: s, label: CONFIG_STATE_LABELS[s].label }))];

/** `?configState=` of the list; "" = any. */
export function ConfigStateFilter({ value, onChange }: { value: string; onChange: (configState: string) => void }) {
  return <SelectField compact className="w-44" label="Config state" options={CONFIG_STATE_OPTIONS} value={value} onChange={(e) => onChange(e.target.value)} />;
}
