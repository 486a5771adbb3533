"use client";
import { displayValue, type ParamDef, type ParamValue } from "@/lib/params";
import { fieldId } from "./field-ids";

/** A firmware-written status value: shown, never editable, never sent. */
export function ReadOnlyStatus({ param: p, value }: { param: ParamDef; value: ParamValue | null | undefined }) {
  const id = fieldId(p.key);
  return (
    <div className="flex flex-col gap-1 border-l-2 border-transparent py-1 pl-3">
      <span id={`${id}-label`} className="text-sm font-medium text-slate-800">
        {p.label}
      </span>
      <output aria-labelledby={`${id}-label`} aria-describedby={`${id}-help`} className="text-sm text-slate-700">
        {value === undefined || value === null ? "Not reported yet" : displayValue(p, value)}
      </output>
      <p id={`${id}-help`} className="text-xs text-slate-600">
        {p.help}
      </p>
    </div>
  );
}
