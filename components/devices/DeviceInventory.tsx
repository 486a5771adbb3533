"use client";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@/components/ui/Alert";
import { useInvalidate } from "@/components/api/query";
import { urls, useDeviceList } from "@/components/api/resources";
import { Button, buttonClass } from "@/components/ui/Button";
import { LiveIndicator } from "@/components/status/LiveIndicator";
import { StatusFilterChips } from "@/components/status/StatusFilterChips";
import { ConfigStateFilter } from "./ConfigState";
import { useLiveStatus } from "@/components/status/live";
import { DeviceFormDialog } from "./DeviceFormDialog";
import { DeviceTable } from "./DeviceTable";
import { FilterInput } from "./FilterInput";
import { ImportCsvDialog } from "./ImportCsvDialog";
import { ColumnChooser } from "./ColumnChooser";
import { queryOfView, SavedViews } from "./SavedViews";
import { Pagination } from "./Pagination";
import { apiUrl, bulkHref, pageSearch, readQuery, type DeviceQuery } from "./query";
import { RemoveDeviceDialog } from "./RemoveDeviceDialog";
import type { Device, Role } from "./types";
import { SelectField } from "@/components/ui/SelectField";
import { DRIVER_OPTIONS, MODEL_OPTIONS } from "./kinds";

const DRIVER_FILTER_OPTIONS = [{ value: "", label: "Any driver" }, ...DRIVER_OPTIONS];
const MODEL_FILTER_OPTIONS = [{ value: "", label: "Any model" }, ...MODEL_OPTIONS];

export function DeviceInventory({ role }: { role: Role }) {
  const canEdit = role === "admin";
  const searchParams = useSearchParams();
  const query = useMemo(() => readQuery(new URLSearchParams(searchParams.toString())), [searchParams]);
  const url = apiUrl(query);

  const list = useDeviceList(url);
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: "add" } | { kind: "edit"; device: Device } | { kind: "import" } | null>(null);
  const [removing, setRemoving] = useState<Device | null>(null);
  // Bulk selection: checked rows, or "all matching the filter" (resolved on the server, no ids sent).
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const filterKey = [query.q, query.site, query.tag, query.status, query.configState, query.driver, query.model].join("\u0000");
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);
  const onSelect = useCallback((ids: string[], on: boolean) => {
    setAllMatching(false);
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  /** Changes the URL without a server round trip; Next's router picks it up through useSearchParams. */
  // Reads the URL at call time, not a rendered `query`: two debounced filters may commit back to back,
  // and the second must not undo the first with a stale copy.
  const setQuery = useCallback((patch: Partial<DeviceQuery>) => {
    const next = { ...readQuery(new URLSearchParams(window.location.search)), ...patch };
    // Any change of filter starts again at page 1.
    if (patch.q !== undefined || patch.site !== undefined || patch.tag !== undefined || patch.status !== undefined || patch.configState !== undefined || patch.driver !== undefined || patch.model !== undefined || patch.size !== undefined || patch.sort !== undefined || patch.dir !== undefined) next.page = patch.page ?? 1;
    window.history.replaceState(null, "", `${window.location.pathname}${pageSearch(next)}`);
  }, []);

  // After an add, edit, import or removal every cached page of the list is out of date.
  const reload = () => void invalidate(urls.devices);
  // Live registration status; after a lost stream the page refetches (events may have been missed).
  const connection = useLiveStatus({ onReconnect: reload });
  const onTag = useCallback((tag: string) => setQuery({ tag }), [setQuery]);
  const onEdit = useCallback((device: Device) => setDialog({ kind: "edit", device }), []);
  const onRemove = useCallback((device: Device) => setRemoving(device), []);

  const filtered = Boolean(query.q || query.site || query.tag || query.status || query.configState || query.driver || query.model);
  const data = list.data ?? null;
  // Background refetches (live updates, freshness) keep the rows; only a new filter/page/sort shows the old rows
  // as a placeholder, and the empty-state check waits for that fetch too.
  const loading = list.isFetching;
  const switching = list.isPlaceholderData;
  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / query.size));

  useEffect(() => {
    // After removals the current page may be past the end.
    if (data && query.page > lastPage) setQuery({ page: lastPage });
  }, [data, query.page, lastPage, setQuery]);

  return (
    <section aria-labelledby="devices-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="devices-title" className="text-2xl font-semibold">
            Devices
          </h1>
          <p className="flex items-center gap-3 text-sm text-slate-600">
            <span data-testid="device-count">{data ? `${total.toLocaleString("en-US")} ${filtered ? "matching" : total === 1 ? "device" : "devices"}` : "\u00a0"}</span>
            <LiveIndicator connection={connection} />
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <SavedViews
            query={query}
            onApply={(view) => {
              setQuery(queryOfView(view));
              setNotice(`Showing view "${view.name}".`);
            }}
          />
          {canEdit && (
            <>
              <Button variant="primary" onClick={() => setDialog({ kind: "add" })}>
                Add device
              </Button>
              <Button onClick={() => setDialog({ kind: "import" })}>Import CSV</Button>
            </>
          )}
          <a href="/api/v1/devices/export.csv" download className={buttonClass("secondary")}>
            Export CSV
          </a>
        </div>
      </div>

      <form role="search" aria-label="Filter devices" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <FilterInput className="min-w-56 flex-1" label="Search" placeholder="Name, address, site, tag, extension, MAC" value={query.q} onCommit={(q) => setQuery({ q })} />
        <FilterInput className="w-44" label="Site" value={query.site} onCommit={(site) => setQuery({ site })} />
        <FilterInput className="w-44" label="Tag" value={query.tag} onCommit={(tag) => setQuery({ tag })} />
        <ConfigStateFilter value={query.configState} onChange={(configState) => setQuery({ configState })} />
        <SelectField compact className="w-44" label="Driver" options={DRIVER_FILTER_OPTIONS} value={query.driver} onChange={(e) => setQuery({ driver: e.target.value })} />
        <SelectField compact className="w-44" label="Model" options={MODEL_FILTER_OPTIONS} value={query.model} onChange={(e) => setQuery({ model: e.target.value })} />
        <StatusFilterChips value={query.status} onChange={(status) => setQuery({ status })} />
        <ColumnChooser shown={query.cols} onChange={(cols) => setQuery({ cols })} />
        {filtered && (
          <Button variant="ghost" onClick={() => setQuery({ q: "", site: "", tag: "", status: "", configState: "", driver: "", model: "" })}>
            Clear filters
          </Button>
        )}
      </form>

      <div aria-live="polite">{notice && <Alert tone="success" testId="devices-notice">{notice}</Alert>}</div>
      {list.error && (
        <Alert testId="devices-error" title="Could not load devices">
          <p>{list.error.message}</p>
          <Button size="sm" className="mt-2" onClick={() => void list.refetch()}>
            Try again
          </Button>
        </Alert>
      )}

      {data && data.items.length > 0 && (
        <>
          {canEdit && (
            <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="bulk-bar">
              {allMatching ? <span>All {total.toLocaleString("en-US")} matching devices selected.</span> : selected.size > 0 ? <span>{selected.size} selected.</span> : null}
              {!allMatching && (
                <Button size="sm" onClick={() => setAllMatching(true)}>
                  Select all {total.toLocaleString("en-US")} matching the filter
                </Button>
              )}
              {(allMatching || selected.size > 0) && (
                <a className={buttonClass("primary", "sm")} href={bulkHref(query, allMatching ? null : [...selected])}>
                  Bulk edit ({allMatching ? total : selected.size})
                </a>
              )}
            </div>
          )}
          <DeviceTable
            sort={{ id: query.sort, desc: query.dir === "desc" }}
            onSort={(s) => setQuery({ sort: s.id, dir: s.desc ? "desc" : "asc" })}
            columns={query.cols}
            devices={data.items}
            staleAfterS={data.staleAfterS}
            canEdit={canEdit}
            busy={switching}
            onEdit={onEdit}
            onRemove={onRemove}
            onTag={onTag}
            selected={canEdit ? (allMatching ? new Set(data.items.map((d) => d.id)) : selected) : undefined}
            onSelect={canEdit ? onSelect : undefined}
          />
          <Pagination page={query.page} size={query.size} total={total} onPage={(page) => setQuery({ page })} onSize={(size) => setQuery({ size })} />
        </>
      )}
      {data && data.items.length === 0 && !loading && (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center" data-testid="devices-empty">
          {filtered ? (
            <p className="text-slate-700">No devices match these filters.</p>
          ) : canEdit ? (
            <p className="text-slate-700">No devices yet — add one or import a CSV.</p>
          ) : (
            <p className="text-slate-700">No devices yet. An administrator can add them.</p>
          )}
        </div>
      )}
      {!data && list.isPending && (
        <p role="status" className="py-8 text-center text-sm text-slate-500">
          Loading devices…
        </p>
      )}

      {canEdit && (
        <>
          <DeviceFormDialog
            open={dialog?.kind === "add" || dialog?.kind === "edit"}
            device={dialog?.kind === "edit" ? dialog.device : undefined}
            onClose={() => setDialog(null)}
            onSaved={(device, action) => {
              setDialog(null);
              setNotice(`Device ${device.name} ${action}.`);
              reload();
            }}
          />
          <ImportCsvDialog
            open={dialog?.kind === "import"}
            onClose={() => setDialog(null)}
            onImported={(created) => {
              setDialog(null);
              setNotice(`Imported ${created === 1 ? "1 device" : `${created} devices`}.`);
              reload();
            }}
          />
          <RemoveDeviceDialog
            device={removing}
            onClose={() => setRemoving(null)}
            onRemoved={(device) => {
              setRemoving(null);
              setNotice(`Device ${device.name} removed.`);
              reload();
            }}
          />
        </>
      )}
    </section>
  );
}
