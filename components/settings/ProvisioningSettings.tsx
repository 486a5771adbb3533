"use client";
// Settings › Provisioning (admins): the URL to give phones (DHCP option 160/66 or typed into the phone), the shared
// credentials inside it, and the unknown phones — MACs that fetched with valid credentials but are not in the
// inventory — each with Adopt (the add-device dialog, prefilled).
import Link from "next/link";
import { useEffect, useState } from "react";
import { useInvalidate } from "@/components/api/query";
import { urls, useProvisioningOverview } from "@/components/api/resources";
import type { Device, UnknownPhone } from "@/components/api/schemas";
import { DeviceFormDialog, type DevicePrefill } from "@/components/devices/DeviceFormDialog";
import { formatMac } from "@/components/provisioning/format";
import { RelativeTime } from "@/components/status/StatusBadge";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { DataTable, type ColumnDef } from "@/components/ui/DataTable";
import { Panel } from "@/components/ui/Panel";

/** What an unknown phone's request says about it: its MAC, and its model when the user agent names the family. */
function prefillOf(phone: UnknownPhone): DevicePrefill {
  return { driver: "provisioning", mac: formatMac(phone.mac), name: `phone-${phone.mac.slice(6)}`, ...(/AUDC|AudioCodes/i.test(phone.userAgent) ? { model: "audiocodes-hd" } : {}) };
}

export function ProvisioningSettings() {
  const query = useProvisioningOverview();
  const invalidate = useInvalidate();
  const [reveal, setReveal] = useState(false);
  const [origin, setOrigin] = useState("");
  const [adopting, setAdopting] = useState<UnknownPhone | null>(null);
  const [added, setAdded] = useState<Device | null>(null);
  // The portal's address as this browser reaches it; phones may need another one (said below).
  useEffect(() => setOrigin(window.location.origin), []);
  const data = query.data;

  const columns: ColumnDef<UnknownPhone>[] = [
    { accessorKey: "mac", header: "MAC", meta: { rowHeader: true, className: "font-mono" }, cell: ({ row }) => formatMac(row.original.mac) },
    { accessorKey: "lastSeenAt", header: "Last asked", cell: ({ row }) => <RelativeTime iso={row.original.lastSeenAt} /> },
    { accessorKey: "clientAddress", header: "Client address", meta: { className: "font-mono text-xs" } },
    { accessorKey: "userAgent", header: "User agent", cell: ({ row }) => <span className="break-all">{row.original.userAgent || "—"}</span> },
    { accessorKey: "requests", header: "Requests", meta: { className: "tabular-nums" } },
    {
      id: "adopt",
      header: () => <span className="sr-only">Actions</span>,
      meta: { label: "" },
      cell: ({ row }) => (
        <Button size="sm" onClick={() => setAdopting(row.original)}>
          Adopt<span className="sr-only"> {formatMac(row.original.mac)}</span>
        </Button>
      ),
    },
  ];

  const url = (credentials: string) => (origin ? `${origin.replace("://", `://${credentials}@`)}${data?.path ?? "/provisioning/"}` : "");
  return (
    <Panel title="Provisioning" description={<>Phones with the provisioning driver fetch <code>&lt;mac&gt;.cfg</code> from the portal: at boot, periodically, and when a push sends them a SIP NOTIFY check-sync.</>} testId="provisioning-settings">
      {query.error && <Alert testId="provisioning-error">Could not load the provisioning settings: {query.error.message}</Alert>}
      {!data && !query.error && <p className="text-sm text-slate-600">Loading…</p>}
      {data && (
        <>
          <div className="flex flex-col gap-1">
            <h3 className="text-sm font-semibold text-slate-900">URL to give phones</h3>
            <p className="text-sm text-slate-700">As the DHCP option 160 value (or 66), or typed into the phone&apos;s web interface (Automatic Update, method Static); the phone appends its MAC and <code>.cfg</code>:</p>
            <code data-testid="provisioning-url" className="block break-all rounded bg-slate-100 px-2 py-1 text-sm text-slate-900">
              {url(reveal ? `${encodeURIComponent(data.username)}:${encodeURIComponent(data.password)}` : `${encodeURIComponent(data.username)}:********`)}
            </code>
            <p className="text-xs text-slate-600">
              This is the portal&apos;s address as your browser reaches it; give phones the address they reach (for example the portal&apos;s LAN address with <code>HOST=0.0.0.0</code>).
            </p>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Username</dt>
            <dd className="font-mono text-slate-900" data-testid="provisioning-username">
              {data.username}
            </dd>
            <dt className="text-slate-600">Password</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <span className="font-mono break-all text-slate-900" data-testid="provisioning-password">
                {reveal ? data.password : "********"}
              </span>
              <Button size="sm" onClick={() => setReveal((r) => !r)} aria-pressed={reveal}>
                {reveal ? "Hide credentials" : "Show credentials"}
              </Button>
            </dd>
            <dt className="text-slate-600">Source</dt>
            <dd className="text-slate-800">{data.generated ? "Generated by the portal (PROVISIONING_USERNAME / PROVISIONING_PASSWORD are not set)" : "PROVISIONING_USERNAME / PROVISIONING_PASSWORD"}</dd>
            <dt className="text-slate-600">Networks</dt>
            <dd className="text-slate-800">{data.allow.length ? data.allow.join(", ") : "Any (PROVISIONING_ALLOW is not set)"}</dd>
            <dt className="text-slate-600">Rate limit</dt>
            <dd className="text-slate-800">{data.ratePerMin} requests per minute per client address</dd>
          </dl>
          <p className="text-xs text-amber-900">
            With these shared credentials anyone who holds them can fetch any phone&apos;s file, which contains its SIP password. Per-device provisioning credentials (in a
            device&apos;s Edit dialog) close that.
          </p>

          <div className="flex flex-col gap-2">
            <h3 className="text-sm font-semibold text-slate-900">Unknown phones</h3>
            <div aria-live="polite">
              {added && (
                <Alert tone="success" testId="adopted-notice">
                  Added <Link href={`/devices/${added.id}`} className="underline">{added.name}</Link>. It gets its file at its next fetch (or reboot).
                </Alert>
              )}
            </div>
            {data.unknownPhones.length === 0 ? (
              <p className="text-sm text-slate-600" data-testid="unknown-phones-empty">
                No unknown phones: every phone that fetched with valid credentials is in the inventory.
              </p>
            ) : (
              <>
                <p className="text-sm text-slate-700">These MACs asked for their file with valid credentials but are not in the inventory (they got 404).</p>
                <DataTable data={data.unknownPhones} columns={columns} label="Unknown phones" stacked getRowId={(p) => p.mac} testId="unknown-phones" />
              </>
            )}
          </div>
        </>
      )}
      <DeviceFormDialog
        open={adopting !== null}
        prefill={adopting ? prefillOf(adopting) : undefined}
        onClose={() => setAdopting(null)}
        onSaved={(device) => {
          setAdopting(null);
          setAdded(device);
          void invalidate(urls.provisioning, urls.devices);
        }}
      />
    </Panel>
  );
}
