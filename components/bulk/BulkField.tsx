"use client";
import clsx from "clsx";
import { useId } from "react";
import type { CommonValue as Common } from "@/components/api/schemas";
import type { ParamDef } from "@/lib/params";
import { displayValue } from "@/lib/params";

const phones = (n: number) => `${n} phone${n === 1 ? "" : "s"}`;

/** What the selected phones hold, from the values read from them: shared, or mixed with how many hold each value. */
function noteOf(param: ParamDef, common: Common | undefined): string {
  if (!common) return "";
  if (common.common) return `All selected devices: ${displayValue(param, common.value)}`;
  if (!common.holders.length) return "Not read from any selected phone yet";
  return `Mixed: ${common.holders.map((h) => `${phones(h.devices)} ${displayValue(param, h.value)}`).join(" · ")}`;
}

/** One catalog parameter in the bulk form: a "Change" tick, then the input (disabled while unchanged). */
export function BulkField({
  param,
  change,
  value,
  common,
  error,
  onChange,
  onValue,
}: {
  param: ParamDef;
  change: boolean;
  value: string | boolean;
  common: Common | undefined;
  error?: string;
  onChange: (on: boolean) => void;
  onValue: (v: string | boolean) => void;
}) {
  const id = `bulk-${useId()}`;
  const noteId = `${id}-note`;
  const errorId = `${id}-error`;
  const describedBy = [noteId, error ? errorId : ""].filter(Boolean).join(" ");
  const note = noteOf(param, common);
  const input = "w-full max-w-sm rounded-md border bg-white px-2 py-1.5 text-sm shadow-sm disabled:bg-slate-100 disabled:text-slate-600";
  return (
    <div className={clsx("grid grid-cols-[auto_minmax(0,1fr)] items-start gap-x-3 gap-y-1 rounded-md p-2", change && "bg-blue-50")}>
      <input type="checkbox" className="mt-2 h-4 w-4" checked={change} onChange={(e) => onChange(e.target.checked)} aria-label={`Change ${param.label}`} />
      <div className="flex min-w-0 flex-col gap-1">
        {param.type === "boolean" ? (
          <label className="flex items-center gap-2 text-sm font-medium">
            <input id={id} type="checkbox" className="h-4 w-4" disabled={!change} checked={value === true} onChange={(e) => onValue(e.target.checked)} aria-describedby={describedBy} />
            {param.label}
          </label>
        ) : (
          <>
            <label htmlFor={id} className="text-sm font-medium">
              {param.label}
              {param.unit ? <span className="font-normal text-slate-500"> ({param.unit})</span> : null}
            </label>
            {param.type === "enum" ? (
              <select id={id} className={input} disabled={!change} value={String(value)} onChange={(e) => onValue(e.target.value)} aria-describedby={describedBy}>
                {(param.options ?? []).map((o) => (
                  <option key={String(o.value)} value={String(o.value)}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                className={clsx(input, error ? "border-red-500" : "border-slate-300")}
                disabled={!change}
                value={String(value)}
                onChange={(e) => onValue(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
              />
            )}
          </>
        )}
        <p id={noteId} className={clsx("text-xs", common && !common.common ? "font-medium text-amber-700" : "text-slate-500")}>
          {change ? note : `Unchanged. ${note}`}
        </p>
        {error && (
          <p id={errorId} className="text-xs text-red-700">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
