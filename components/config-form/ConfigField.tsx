"use client";
import clsx from "clsx";
import type { UseFormRegister } from "react-hook-form";
import { applicabilityNote, defaultText, unitLabel, type FormValues, type ParamDef } from "@/lib/params";
import { fieldId } from "./field-ids";

export interface ConfigFieldProps {
  param: ParamDef;
  register: UseFormRegister<FormValues>;
  error?: string;
  changed: boolean;
  applicable: boolean;
  /** Set when the phone's model lacks this parameter: shown as its label and this note only, never sent. */
  unsupported?: string;
  /** Whole form is read-only (viewer). */
  readOnly: boolean;
  isDefault: boolean;
  onReset: () => void;
}

const INPUT =
  "rounded-md border bg-white px-2.5 py-1.5 text-sm shadow-sm focus:outline-2 focus:outline-offset-0 focus:outline-blue-600 disabled:bg-slate-100 disabled:text-slate-500";

/** One catalog parameter: label (its accessible name), control, unit, help, default, note and error. */
export function ConfigField({ param: p, register, error, changed, applicable, unsupported, readOnly, isDefault, onReset }: ConfigFieldProps) {
  const id = fieldId(p.key);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const noteId = `${id}-note`;
  const note = applicable ? undefined : applicabilityNote(p);
  const describedBy = [error ? errorId : null, note ? noteId : null, helpId].filter(Boolean).join(" ");
  const disabled = !applicable;
  const a11y = {
    id,
    disabled,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": describedBy,
  };
  if (unsupported !== undefined) {
    // The model has no such setting: no control and no value (a default shown here would be nothing the phone holds).
    return (
      <div data-field={p.key} data-unsupported="true" className="flex flex-col gap-1 border-l-2 border-transparent py-1 pl-3">
        <span className="text-sm font-medium text-slate-500">{p.label}</span>
        <p className="text-xs italic text-slate-600">{unsupported}</p>
      </div>
    );
  }
  const field = register(p.key);
  const unit = unitLabel(p);
  const fallback = defaultText(p);

  let control: React.ReactNode;
  if (p.type === "boolean") {
    control = <input type="checkbox" className="size-4 rounded border-slate-300 accent-blue-700" {...field} {...a11y} />;
  } else if (p.type === "enum") {
    control = (
      <select className={clsx(INPUT, "w-full max-w-sm", error ? "border-red-500" : "border-slate-300")} {...field} {...a11y}>
        {p.options?.map((o) => (
          <option key={String(o.value)} value={String(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const numeric = p.type === "integer" || p.type === "port";
    control = (
      <input
        type={p.type === "password" ? "password" : "text"}
        inputMode={numeric ? "numeric" : undefined}
        autoComplete={p.type === "password" ? "new-password" : "off"}
        spellCheck={false}
        placeholder={p.type === "password" ? "unchanged" : undefined}
        className={clsx(INPUT, numeric ? "w-28 tabular-nums" : "w-full max-w-sm", error ? "border-red-500" : "border-slate-300")}
        {...field}
        {...a11y}
      />
    );
  }

  const label = (
    <label htmlFor={id} className={clsx("text-sm font-medium", disabled ? "text-slate-500" : "text-slate-800")}>
      {p.label}
    </label>
  );

  return (
    <div
      data-field={p.key}
      data-changed={changed || undefined}
      className={clsx(
        "flex flex-col gap-1 border-l-2 py-1 pl-3",
        changed ? "border-amber-400 bg-amber-50/60" : error ? "border-red-400" : "border-transparent",
      )}
    >
      {p.type === "boolean" ? (
        <div className="flex items-center gap-2">
          {control}
          {label}
        </div>
      ) : (
        <>
          {label}
          <div className="flex items-center gap-2">
            {control}
            {unit && <span className="text-xs text-slate-500">{unit}</span>}
          </div>
        </>
      )}
      {error && (
        <p id={errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
      {note && (
        <p id={noteId} className="text-xs italic text-slate-500">
          {note}
        </p>
      )}
      <p id={helpId} className="text-xs text-slate-600">
        {p.help}
      </p>
      <div className="flex flex-wrap items-center gap-x-3 text-xs text-slate-500">
        {fallback && <span>{fallback}</span>}
        {changed && <span className="font-medium text-amber-700">Changed</span>}
        {!readOnly && !disabled && !isDefault && (
          <button
            type="button"
            onClick={onReset}
            className="rounded text-blue-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
          >
            Reset to default<span className="sr-only"> ({p.label})</span>
          </button>
        )}
      </div>
    </div>
  );
}
