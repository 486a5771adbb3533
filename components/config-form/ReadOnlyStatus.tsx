"use client";
import { displayValue, type ParamDef, type ParamValue } from "@/lib/params";
import { fieldId } from "./field-ids";

/** A firmware-written status value as the phone reported it at the last read: shown, never editable, never sent. */
export function ReadOnlyStatus({ param: p, value }: { param: ParamDef; value: ParamValue }) {
  const id = fieldId(p.key);
  return (
    <div className="flex flex-col gap-1 border-l-2 border-transparent py-1 pl-3">
      <span id={`${id}-label`} className="text-sm font-medium text-slate-800">
        {p.label}
      </span>
      <output aria-labelledby={`${id}-label`} aria-describedby={`${id}-help`} className="text-sm text-slate-700">
        {displayValue(p, value)} <span className="text-xs text-slate-600">(reported by the phone at the last read)</span>
      </output>
      <p id={`${id}-help`} className="text-xs text-slate-600">
        {p.help}
      </p>
    </div>
  );
}
