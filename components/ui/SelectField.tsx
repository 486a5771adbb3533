import clsx from "clsx";
import { forwardRef, type SelectHTMLAttributes } from "react";
import { FieldFrame, useFieldIds } from "./FieldFrame";

export type SelectOption = { value: string; label: string };

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: readonly SelectOption[];
  error?: string;
  hint?: string;
  /** Compact (filter bars): smaller label and padding. */
  compact?: boolean;
};

/** Labelled <select> with its hint and error wired for screen readers (the select twin of Field). */
export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(function SelectField({ label, options, error, hint, id, className, compact = false, ...rest }, ref) {
  const ids = useFieldIds("s", id, hint, error);
  return (
    <FieldFrame label={label} ids={ids} hint={hint} error={error} className={className} compact={compact}>
      <select
        ref={ref}
        id={ids.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={clsx(
          "w-full rounded-md border bg-white px-3 text-sm text-slate-900 shadow-sm focus:outline-2 focus:outline-blue-600",
          compact ? "py-1.5" : "py-2",
          error ? "border-red-500" : "border-slate-300",
        )}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
});
