import clsx from "clsx";
import { useId, type ReactNode } from "react";

/** Ids of a labelled control, its hint and its error, and the aria-describedby that links them. */
export function useFieldIds(prefix: string, id: string | undefined, hint: string | undefined, error: string | undefined) {
  const autoId = useId();
  const controlId = id ?? `${prefix}${autoId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  return { controlId, hintId, errorId, describedBy: [errorId, hintId].filter(Boolean).join(" ") || undefined };
}

/** Label above the control, hint and error below: the frame Field and SelectField share. */
export function FieldFrame(props: {
  label: string;
  ids: ReturnType<typeof useFieldIds>;
  hint?: string;
  error?: string;
  className?: string;
  compact?: boolean;
  children: ReactNode;
}) {
  const { ids, hint, error, compact } = props;
  return (
    <div className={clsx("flex flex-col", compact ? "" : "gap-1", props.className)}>
      <label htmlFor={ids.controlId} className={compact ? "mb-1 text-xs font-medium text-slate-700" : "text-sm font-medium text-slate-800"}>
        {props.label}
      </label>
      {props.children}
      {hint && (
        <p id={ids.hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.errorId} className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
