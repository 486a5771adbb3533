import clsx from "clsx";
import { forwardRef, type InputHTMLAttributes } from "react";
import { FieldFrame, useFieldIds } from "./FieldFrame";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  /** Validation message; when set the input is aria-invalid and points at it with aria-describedby. */
  error?: string;
  hint?: string;
};

/** Labelled text input with its hint and error wired for screen readers. */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field({ label, error, hint, id, className, ...rest }, ref) {
  const ids = useFieldIds("f", id, hint, error);
  return (
    <FieldFrame label={label} ids={ids} hint={hint} error={error} className={className}>
      <input
        ref={ref}
        id={ids.controlId}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
        className={clsx(
          "rounded-md border bg-white px-3 py-2 text-sm shadow-sm",
          "focus:outline-2 focus:outline-offset-0 focus:outline-blue-600",
          error ? "border-red-500" : "border-slate-300",
        )}
        {...rest}
      />
    </FieldFrame>
  );
});
