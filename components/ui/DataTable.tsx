"use client";
// The one table of the portal (shadcn's data-table pattern over TanStack Table): columns in, markup out.
// Pages describe columns; this component owns the <table> markup, the look, sortable headers, hidden
// columns, expandable detail rows, and the 390 px behaviour (stacked rows, or a focusable scroll region).
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type RowData,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import clsx from "clsx";
import { Fragment, useState, type ReactNode } from "react";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Extra classes for the column's cells (and header). */
    className?: string;
    /** The column's cells are row headers (`<th scope="row">`). */
    rowHeader?: boolean;
    /** Label shown before the value when rows are stacked (defaults to the header when it is a string). */
    label?: string;
  }
}

export type { ColumnDef, SortingState, VisibilityState };

/**
 * The row-actions column (buttons at the row's end; at the row's start when rows are stacked): a header only screen
 * readers hear, and no "label" before the buttons in stacked rows.
 */
export function actionsColumn<T>(cell: (row: T) => ReactNode, className: string | undefined = "text-right max-sm:text-left"): ColumnDef<T> {
  return {
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    meta: { label: "", ...(className ? { className } : {}) },
    cell: ({ row }) => cell(row.original),
  };
}

const LOOKS = {
  /** A table on its own: bordered white card, tinted header. */
  card: {
    wrap: "rounded-lg border border-slate-200 bg-white shadow-sm",
    head: "bg-slate-50 text-xs uppercase tracking-wide text-slate-600",
    th: "px-3 py-2 font-semibold",
    td: "px-3 py-2",
  },
  /** A table inside a panel (diffs): no frame, compact. */
  plain: {
    wrap: "",
    head: "text-xs uppercase tracking-wide text-slate-600",
    th: "py-1 pr-3 font-medium",
    td: "py-1 pr-3",
  },
} as const;

export interface DataTableProps<T> {
  data: T[];
  columns: ColumnDef<T, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- TanStack's own column type
  /** Accessible name of the table (its scroll region is "<label> table"). */
  label: string;
  getRowId?: (row: T, index: number) => string;
  look?: keyof typeof LOOKS;
  /** Below 640 px each row becomes a card of "label value" lines instead of a wide table. */
  stacked?: boolean;
  /** Caps the height (the header stays visible); the region scrolls inside and is keyboard-focusable. */
  maxHeightClass?: string;
  /** Rows shown are a previous query's while the new one loads: a bar over the table and aria-busy, never dimmed
   * text (dimmed rows fail WCAG contrast, and a background refetch of the same rows is not "busy"). */
  busy?: boolean;
  testId?: string;
  /** Sorting: controlled (`manualSorting` when the server sorts) or local when only `sortable` is set. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  manualSorting?: boolean;
  sortable?: boolean;
  columnVisibility?: VisibilityState;
  /** Detail shown in a full-width row under a row (e.g. its diff); null for none. */
  renderDetail?: (row: T) => ReactNode | null;
  detailId?: (row: T) => string;
  rowProps?: (row: T) => Record<string, string | undefined>;
  /** Extra content under the rows, inside the frame (e.g. "12 more in the CSV"). */
  footer?: ReactNode;
}

const SORT_ICON = { asc: "▲", desc: "▼" } as const;

export function DataTable<T>(props: DataTableProps<T>) {
  const { data, columns, label, look = "card", stacked = false, busy, testId, renderDetail } = props;
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const sortingEnabled = props.sortable || props.sorting !== undefined;
  const table = useReactTable<T>({
    data,
    columns,
    getRowId: props.getRowId,
    getCoreRowModel: getCoreRowModel(),
    ...(sortingEnabled && !props.manualSorting ? { getSortedRowModel: getSortedRowModel() } : {}),
    manualSorting: props.manualSorting,
    enableSorting: sortingEnabled,
    state: { sorting: props.sorting ?? localSorting, ...(props.columnVisibility ? { columnVisibility: props.columnVisibility } : {}) },
    onSortingChange: props.onSortingChange ?? setLocalSorting,
  });
  const s = LOOKS[look];
  const visible = table.getVisibleLeafColumns().length;

  const cellClass = (meta: { className?: string } | undefined, dataLabel: string | undefined) =>
    clsx(
      s.td,
      "align-top",
      meta?.className,
      stacked && "max-sm:flex max-sm:gap-3 max-sm:px-3 max-sm:py-0.5",
      stacked && dataLabel && "max-sm:before:w-28 max-sm:before:shrink-0 max-sm:before:text-xs max-sm:before:font-medium max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]",
    );

  const rowCells = (row: Row<T>) =>
    row.getVisibleCells().map((cell) => {
      const meta = cell.column.columnDef.meta;
      const header = cell.column.columnDef.header;
      const dataLabel = meta?.label ?? (typeof header === "string" ? header : undefined);
      const content = flexRender(cell.column.columnDef.cell, cell.getContext());
      return meta?.rowHeader ? (
        <th key={cell.id} scope="row" role="rowheader" data-label={dataLabel} className={clsx(cellClass(meta, dataLabel), "text-left font-normal")}>
          {content}
        </th>
      ) : (
        <td key={cell.id} role="cell" data-label={dataLabel} className={cellClass(meta, dataLabel)}>
          {content}
        </td>
      );
    });

  return (
    // Explicit table roles: stacked rows restyle the table parts as blocks, which would drop their semantics.
    // The frame scrolls (sideways at small widths, or down under a max height): tabIndex lets keyboard users scroll it.
    // Its name says "table": a region named like the page section around it would be a second landmark of that name.
    <div
      role="region"
      aria-label={`${label} table`}
      tabIndex={0}
      data-testid={testId ? `${testId}-region` : undefined}
      className={clsx(s.wrap, "relative overflow-auto focus-visible:outline-2 focus-visible:outline-blue-600", props.maxHeightClass)}
    >
      {busy && <div aria-hidden="true" data-testid={testId ? `${testId}-loading` : undefined} className="absolute inset-x-0 top-0 z-10 h-0.5 animate-pulse bg-blue-600" />}
      <table role="table" aria-label={label} aria-busy={busy || undefined} data-testid={testId} className={clsx("w-full text-left text-sm", stacked && "max-sm:block")}>
        <thead role="rowgroup" className={clsx(s.head, props.maxHeightClass && "sticky top-0 z-[1]", stacked && "max-sm:sr-only")}>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} role="row">
              {hg.headers.map((h) => {
                const sort = h.column.getIsSorted();
                const canSort = h.column.getCanSort();
                const content = h.isPlaceholder ? null : flexRender(h.column.columnDef.header, h.getContext());
                return (
                  <th
                    key={h.id}
                    scope="col"
                    role="columnheader"
                    aria-sort={sort === "asc" ? "ascending" : sort === "desc" ? "descending" : canSort ? "none" : undefined}
                    className={clsx(s.th, h.column.columnDef.meta?.className, look === "card" && props.maxHeightClass && "bg-slate-50")}
                  >
                    {canSort ? (
                      <button
                        type="button"
                        onClick={h.column.getToggleSortingHandler()}
                        className="inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-600"
                      >
                        {content}
                        <span aria-hidden="true" className={clsx("text-[0.6rem]", !sort && "text-slate-400")}>
                          {sort ? SORT_ICON[sort] : "▲▼"}
                        </span>
                        <span className="sr-only">{sort ? `, sorted ${sort === "asc" ? "ascending" : "descending"}` : ", sortable"}</span>
                      </button>
                    ) : (
                      content
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody role="rowgroup" className={clsx(stacked && "max-sm:block")}>
          {table.getRowModel().rows.map((row) => {
            const detail = renderDetail?.(row.original) ?? null;
            return (
              <Fragment key={row.id}>
                <tr
                  role="row"
                  {...props.rowProps?.(row.original)}
                  className={clsx("border-t border-slate-100", look === "card" && "hover:bg-slate-50", stacked && "max-sm:block max-sm:py-2")}
                >
                  {rowCells(row)}
                </tr>
                {detail !== null && (
                  <tr role="row" id={props.detailId?.(row.original)} className={clsx("bg-slate-50", stacked && "max-sm:block")}>
                    <td role="cell" colSpan={visible} className={clsx(s.td, stacked && "max-sm:block")}>
                      {detail}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {props.footer}
    </div>
  );
}
