"use client";
// Saved views of the device list (GET/POST /api/v1/views, DELETE /api/v1/views/{id}): the user's named filter +
// sort + column sets. "Save current view" stores what the list shows now; choosing a view applies it.
import { useRef, useState } from "react";
import { useApiQuery, useInvalidate } from "@/components/api/query";
import { ApiError, apiFetch, errorMessage } from "@/components/ui/api-client";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { savedViewListSchema, savedViewSchema, viewFilterSchema, type SavedView } from "@/lib/views/schemas";
import { OPTIONAL_COLUMNS, type DeviceQuery } from "./query";

const VIEWS_URL = "/api/v1/views";

/** What of a list query a view keeps (no page, no page size). */
export function viewOf(query: DeviceQuery) {
  const filter = Object.fromEntries(
    viewFilterSchema.keyof().options.flatMap((k) => (query[k] ? [[k, query[k]]] : [])),
  );
  return { filter, sort: query.sort, dir: query.dir, columns: [...query.cols] };
}

/** The list query patch that shows a view (filters it does not set are cleared). */
export function queryOfView(view: SavedView): Partial<DeviceQuery> {
  const known = OPTIONAL_COLUMNS.map((c) => c.id) as readonly string[];
  return {
    q: view.filter.q ?? "",
    site: view.filter.site ?? "",
    tag: view.filter.tag ?? "",
    status: view.filter.status ?? "",
    configState: view.filter.configState ?? "",
    driver: view.filter.driver ?? "",
    model: view.filter.model ?? "",
    sort: view.sort,
    dir: view.dir,
    cols: view.columns.filter((c) => known.includes(c)) as DeviceQuery["cols"],
  };
}

export function SavedViews({ query, onApply }: { query: DeviceQuery; onApply: (view: SavedView) => void }) {
  const views = useApiQuery(VIEWS_URL, savedViewListSchema);
  const invalidate = useInvalidate();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);

  async function save() {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const saved = await apiFetch(VIEWS_URL, { method: "POST", json: { name, ...viewOf(query) }, schema: savedViewSchema });
      setName("");
      setStatus(`Saved view "${saved.name}".`);
      await invalidate(VIEWS_URL);
    } catch (e) {
      setError(e instanceof ApiError ? (e.body.fields?.name ?? e.body.fields?.columns ?? e.body.message) : errorMessage(e, "Saving the view failed"));
    } finally {
      setBusy(false);
    }
  }

  async function remove(view: SavedView) {
    setStatus(null);
    try {
      await apiFetch(`${VIEWS_URL}/${view.id}`, { method: "DELETE" });
      setStatus(`Deleted view "${view.name}".`);
      await invalidate(VIEWS_URL);
    } catch (e) {
      setStatus(errorMessage(e, `Deleting "${view.name}" failed`));
    }
  }

  const list = views.data?.views ?? [];
  return (
    <details ref={menu} className="relative" data-testid="saved-views">
      <summary className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
        Saved views{list.length ? ` (${list.length})` : ""}
      </summary>
      <div className="absolute right-0 z-20 mt-1 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-3 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg max-sm:left-0 max-sm:right-auto">
        {views.error && <p className="text-red-700">Could not load your views: {views.error.message}</p>}
        {list.length > 0 ? (
          <ul aria-label="Your saved views" className="flex flex-col gap-1">
            {list.map((v) => (
              <li key={v.id} className="flex items-center justify-between gap-2">
                <button
                  type="button"
                  className="min-w-0 truncate text-left font-medium text-blue-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-600"
                  onClick={() => {
                    // Applied: the menu closes so the list it changed is in view.
                    menu.current?.removeAttribute("open");
                    onApply(v);
                  }}
                  aria-label={`Show view ${v.name}`}
                >
                  {v.name}
                </button>
                <Button size="sm" variant="ghost" className="text-red-700" aria-label={`Delete view ${v.name}`} onClick={() => void remove(v)}>
                  Delete
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          views.data && <p className="text-slate-600">No saved views yet.</p>
        )}
        <form
          className="flex flex-col gap-2 border-t border-slate-200 pt-3"
          aria-label="Save the current view"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Field label="View name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} error={error ?? undefined} hint="Keeps the filters, sort and columns shown now." />
          <Button type="submit" variant="primary" size="sm" disabled={busy || !name.trim()}>
            Save current view
          </Button>
        </form>
        <p role="status" className="text-slate-700" data-testid="saved-views-status">
          {status}
        </p>
      </div>
    </details>
  );
}
