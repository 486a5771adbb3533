"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DataTable } from "@/components/ui/DataTable";
import { ConfigStateCell } from "./ConfigState";
import { StatusCell } from "./StatusCell";
import type { Device } from "./types";

const col = createColumnHelper<Device>();

export function DeviceTable({
  devices,
  canEdit,
  busy,
  onEdit,
  onRemove,
  onTag,
  selected,
  onSelect,
}: {
  devices: Device[];
  canEdit: boolean;
  busy: boolean;
  onEdit: (d: Device) => void;
  onRemove: (d: Device) => void;
  /** Clicking a tag filters the list by it. */
  onTag: (tag: string) => void;
  /** Bulk edit (admins): checked rows and the toggle; no checkbox column without them. */
  selected?: ReadonlySet<string>;
  onSelect?: (ids: string[], on: boolean) => void;
}) {
  const columns = useMemo(
    () => [
      ...(onSelect && selected
        ? [
            col.display({
              id: "select",
              meta: { label: "Select" },
              header: () => (
                <input
                  type="checkbox"
                  aria-label="Select all devices on this page"
                  checked={devices.length > 0 && devices.every((d) => selected.has(d.id))}
                  onChange={(e) => onSelect(devices.map((d) => d.id), e.target.checked)}
                />
              ),
              cell: (c) => (
                <input type="checkbox" aria-label={`Select ${c.row.original.name}`} checked={selected.has(c.row.original.id)} onChange={(e) => onSelect([c.row.original.id], e.target.checked)} />
              ),
            }),
          ]
        : []),
      col.accessor("name", {
        header: "Name",
        cell: (c) => (
          <Link href={`/devices/${encodeURIComponent(c.row.original.id)}`} className="font-medium text-blue-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600">
            {c.getValue()}
          </Link>
        ),
      }),
      col.accessor("address", { header: "Address", cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
      col.accessor("site", { header: "Site", cell: (c) => c.getValue() || <span className="text-slate-500">—</span> }),
      col.accessor("tags", {
        header: "Tags",
        cell: (c) => (
          <span className="flex flex-wrap items-start gap-1">
            {c.getValue().map((t) => (
              <button key={t} type="button" onClick={() => onTag(t)} title={`Show devices tagged ${t}`} className="rounded focus-visible:outline-2 focus-visible:outline-blue-600">
                <Badge tone="blue">{t}</Badge>
              </button>
            ))}
          </span>
        ),
      }),
      col.display({ id: "status", header: "Registration", cell: (c) => <StatusCell device={c.row.original} /> }),
      col.display({ id: "configState", header: "Config", cell: (c) => <ConfigStateCell state={c.row.original.configState} /> }),
      ...(canEdit
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: (c) => (
                <span className="flex justify-end gap-1.5 max-sm:justify-start">
                  <Button size="sm" onClick={() => onEdit(c.row.original)} aria-label={`Edit ${c.row.original.name}`}>
                    Edit
                  </Button>
                  <Button size="sm" variant="ghost" className="text-red-700" onClick={() => onRemove(c.row.original)} aria-label={`Remove ${c.row.original.name}`}>
                    Remove
                  </Button>
                </span>
              ),
            }),
          ]
        : []),
    ],
    [canEdit, onEdit, onRemove, onTag, onSelect, selected, devices],
  );

  // Paging and filtering happen on the server; the table only renders the current page.
  return <DataTable data={devices} columns={columns} label="Devices" busy={busy} stacked getRowId={(d) => d.id} />;
}
