"use client";
import { useEffect, useRef } from "react";
import { OPTIONAL_COLUMNS, type OptionalColumn } from "./query";

/** Which optional columns the list shows (kept in the URL with the filter, so a view can be shared and saved). */
export function ColumnChooser({ shown, onChange }: { shown: readonly OptionalColumn[]; onChange: (cols: OptionalColumn[]) => void }) {
  const boxes = useRef<HTMLFieldSetElement>(null);
  // The URL changed from elsewhere (a saved view applied, back/forward): the boxes follow it.
  const key = shown.join(",");
  useEffect(() => {
    for (const b of boxes.current?.querySelectorAll<HTMLInputElement>("input[type=checkbox]") ?? []) b.checked = key.split(",").includes(b.name);
  }, [key]);
  return (
    <details className="relative">
      <summary className="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50">
        Columns
      </summary>
      <fieldset ref={boxes} className="absolute right-0 z-20 mt-1 flex w-52 flex-col gap-1.5 rounded-md border border-slate-200 bg-white p-3 text-sm shadow-lg max-sm:left-0 max-sm:right-auto">
        <legend className="sr-only">Columns to show</legend>
        {OPTIONAL_COLUMNS.map((c) => (
          <label key={c.id} className="flex items-center gap-2">
            {/* Uncontrolled: the box flips at once, while the URL (the source of `shown`) follows in a transition. */}
            <input
              type="checkbox"
              name={c.id}
              defaultChecked={shown.includes(c.id)}
              // What the boxes say now, in the chooser's order whatever the click order.
              onChange={(e) => {
                const boxes = e.currentTarget.closest("fieldset")!.querySelectorAll<HTMLInputElement>("input[type=checkbox]");
                onChange(OPTIONAL_COLUMNS.map((o) => o.id).filter((id) => [...boxes].some((b) => b.name === id && b.checked)));
              }}
            />
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
