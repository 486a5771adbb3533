"use client";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/Badge";
import { Button } from "@/components/ui/Button";
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
      col.accessor("site", { header: "Site", cell: (c) => c.getValue() || <span className="text-slate-400">—</span> }),
      col.accessor("tags", {
        header: "Tags",
        cell: (c) => (
          <span className="flex flex-wrap gap-1">
            {c.getValue().map((t) => (
              <button key={t} type="button" onClick={() => onTag(t)} title={`Show devices tagged ${t}`} className="rounded focus-visible:outline-2 focus-visible:outline-blue-600">
                <Badge tone="blue">{t}</Badge>
              </button>
            ))}
          </span>
        ),
      }),
      col.display({ id: "status", header: "Registration", cell: (c) => <StatusCell device={c.row.original} /> }),
      ...(canEdit
        ? [
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              cell: (c) => (
                <span className="flex justify-end gap-1.5">
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
  const table = useReactTable({ data: devices, columns, getCoreRowModel: getCoreRowModel(), manualPagination: true, manualFiltering: true, getRowId: (d) => d.id });

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm" aria-label="Devices" aria-busy={busy}>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>
              {hg.headers.map((h) => (
                <th key={h.id} scope="col" className="px-4 py-2.5 font-semibold">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className={busy ? "opacity-60" : undefined}>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-100 hover:bg-slate-50">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-4 py-2 align-middle">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
