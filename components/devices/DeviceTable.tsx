"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
import { DataTable } from "@/components/ui/DataTable";
import { ConfigStateCell } from "./ConfigState";
import { RelativeTime } from "@/components/status/StatusBadge";
import { OPTIONAL_COLUMNS, SORTS, type OptionalColumn, type Sort } from "./query";
import { StatusCell } from "./StatusCell";
import { DRIVER_SHORT, MODEL_SHORT } from "./kinds";
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
  sort,
  onSort,
  columns: shown,
  staleAfterS,
}: {
  /** Server-side sort of the list (the page is one slice of the sorted list). */
  sort: { id: Sort; desc: boolean };
  onSort: (sort: { id: Sort; desc: boolean }) => void;
  /** Optional columns to show (the column chooser). */
  columns: readonly OptionalColumn[];
  devices: Device[];
  /** The list reply's freshness threshold: a row whose last answer is older is marked stale. */
  staleAfterS?: number;
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
      col.accessor("address", { header: "Address", cell: (c) => <span className="font-mono text-xs break-all">{c.getValue()}</span> }),
      col.accessor("site", { header: "Site", cell: (c) => c.getValue() || <span className="text-slate-600">—</span> }),
      col.accessor("model", { header: "Model", cell: (c) => MODEL_SHORT[c.getValue()] ?? c.getValue() }),
      // Not a server sort key (filter by it instead).
      col.accessor("driver", { header: "Driver", enableSorting: false, cell: (c) => DRIVER_SHORT[c.getValue()] ?? c.getValue() }),
      col.accessor((d) => d.sipExtension ?? null, {
        id: "extension",
        header: "SIP extension",
        cell: (c) => (c.getValue() ? <span className="font-mono text-xs">{c.getValue()}</span> : <span className="text-slate-600">—</span>),
      }),
      col.accessor((d) => d.firmware ?? null, {
        id: "firmware",
        header: "Firmware",
        // Not a server sort key.
        enableSorting: false,
        // Only what the phone reported, with when; never a guess.
        cell: (c) => {
          const f = c.getValue();
          return f ? (
            <span className="font-mono text-xs" title={`Reported by the phone ${new Date(f.readAt).toLocaleString("en-GB")}`}>
              {f.version}
            </span>
          ) : (
            <span className="text-slate-600">not read yet</span>
          );
        },
      }),
      col.accessor((d) => d.lastSeenAt ?? null, {
        id: "lastSeen",
        header: "Last seen",
        // Stored per poll window plus this process's poller's newer answers: not a server sort key.
        enableSorting: false,
        cell: (c) => (c.getValue() ? <RelativeTime iso={c.getValue()!} /> : <span className="text-slate-600">—</span>),
      }),
      col.accessor("tags", {
        header: "Tags",
        enableSorting: false,
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
      col.accessor((d) => d.status?.state ?? null, { id: "registration", header: "Registration", cell: (c) => <StatusCell device={c.row.original} staleAfterS={staleAfterS} /> }),
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
    [canEdit, onEdit, onRemove, onTag, onSelect, selected, devices, staleAfterS],
  );

  const visibility = Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [c.id, shown.includes(c.id)]));
  // Paging, filtering and sorting happen on the server; the table only renders the current page.
  return (
    <DataTable
      data={devices}
      columns={columns}
      label="Devices"
      busy={busy}
      stacked
      getRowId={(d) => d.id}
      columnVisibility={visibility}
      manualSorting
      sorting={[sort]}
      onSortingChange={(updater) => {
        const next = typeof updater === "function" ? updater([sort]) : updater;
        const first = next[0];
        // A third click would clear the sort: go back to the name order instead.
        onSort(first && (SORTS as readonly string[]).includes(first.id) ? { id: first.id as Sort, desc: first.desc } : { id: "name", desc: false });
      }}
    />
  );
}
