"use client";
import { Button } from "@/components/ui/Button";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Sticky footer of the config form: how many fields changed, Save and Discard. */
export function UnsavedChangesBar({
  count,
  errors,
  saving,
  onDiscard,
}: {
  count: number;
  errors: number;
  saving: boolean;
  onDiscard: () => void;
}) {
  const dirty = count > 0;
  return (
    <div
      role="region"
      aria-label="Unsaved changes"
      className={
        "sticky bottom-0 z-10 mt-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border px-4 py-2.5 shadow-md " +
        (dirty ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white")
      }
    >
      <p className="text-sm" aria-live="polite" data-testid="unsaved-count">
        {dirty ? <strong className="font-semibold text-amber-900">{plural(count, "unsaved change")}</strong> : <span className="text-slate-600">No unsaved changes</span>}
        {errors > 0 && <span className="ml-2 font-medium text-red-700">{plural(errors, "field")} to fix</span>}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" onClick={onDiscard} disabled={!dirty || saving}>
          Discard
        </Button>
        <Button type="submit" variant="primary" size="sm" disabled={!dirty || saving}>
          {saving ? "Pushing…" : "Save and push"}
        </Button>
      </div>
    </div>
  );
}
