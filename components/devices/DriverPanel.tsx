"use client";
// The device page's "how the portal reaches this phone": its driver in plain words (what it can prove), the
// phone's own web page where the driver has one, and for provisioning phones the fetches of its file.
import { useDeviceProvisioning } from "@/components/api/resources";
import type { Device, FetchRecord } from "@/components/api/schemas";
import { RelativeTime } from "@/components/status/StatusBadge";
import { Alert } from "@/components/ui/Alert";
import { DataTable, type ColumnDef } from "@/components/ui/DataTable";
import { DRIVER_LABELS } from "@/lib/device/kinds";
import { capabilityLines, MODEL_LABELS, webPageUrl } from "./kinds";
import { Panel } from "@/components/ui/Panel";
import { PointAtProvisioning } from "@/components/provisioning/PointAtProvisioning";

const FETCH_COLUMNS: ColumnDef<FetchRecord>[] = [
  { accessorKey: "at", header: "When", cell: ({ row }) => <RelativeTime iso={row.original.at} /> },
  { accessorKey: "revision", header: "Revision served", meta: { className: "tabular-nums" } },
  { accessorKey: "clientAddress", header: "Client address", meta: { className: "font-mono text-xs" } },
  { accessorKey: "userAgent", header: "User agent", cell: ({ row }) => <span className="break-all">{row.original.userAgent || "—"}</span> },
];

export function DriverPanel({ device, canChange }: { device: Device; canChange: boolean }) {
  const { proven, lines } = capabilityLines(device.driver);
  const web = webPageUrl(device.driver, device.address);
  return (
    <Panel title="How the portal reaches this phone" testId="driver-panel" className="gap-2">
      <p className="text-sm text-slate-800">
        {DRIVER_LABELS[device.driver]} · {MODEL_LABELS[device.model]} — a change is <strong data-testid="driver-proof">{proven}</strong>.
      </p>
      <ul className="list-disc pl-5 text-sm text-slate-700" data-testid="driver-capabilities">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {web && (
        <p className="text-sm">
          <a href={web} target="_blank" rel="noreferrer" className="text-blue-700 underline underline-offset-2 hover:no-underline">
            Open the phone&apos;s own web page<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </p>
      )}
      {/* Stays mounted across the switch (web → provisioning), so its outcome stays on the page. */}
      {canChange && device.driver !== "api" && <PointAtProvisioning deviceId={device.id} deviceName={device.name} offer={device.driver === "web"} />}
      {device.driver === "provisioning" && <Fetches deviceId={device.id} />}
    </Panel>
  );
}

function Fetches({ deviceId }: { deviceId: string }) {
  const q = useDeviceProvisioning(deviceId, true);
  if (q.error) return <Alert testId="fetches-error">Could not load the fetches: {q.error.message}</Alert>;
  if (!q.data) return <p className="text-sm text-slate-600">Loading fetches…</p>;
  const { fetches, served } = q.data;
  const last = fetches[0];
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-800" data-testid="last-fetch">
        {last ? (
          <>
            Last fetch <RelativeTime iso={last.at} />: fetched revision {last.revision}
            {last.revision < served.revision ? ` — the portal now serves revision ${served.revision}, not fetched yet` : " (the current one)"}.
          </>
        ) : (
          <>Never fetched: the phone has not asked for its file yet. The portal serves revision {served.revision}.</>
        )}
      </p>
      <p className="text-xs text-slate-600">
        A push sends the phone a SIP NOTIFY check-sync so it fetches at once; a phone that ignores it takes the change at its next periodic fetch.
      </p>
      {fetches.length > 0 && <DataTable data={fetches} columns={FETCH_COLUMNS} label="Provisioning fetches" stacked getRowId={(f, i) => `${f.at}-${i}`} />}
    </div>
  );
}
