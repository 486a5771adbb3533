import clsx from "clsx";
import { useId, type ReactNode } from "react";

/**
 * A titled card (settings sections, the device page's panels): one look, and the section is named by its heading.
 * `aside` sits at the heading's right (e.g. the live indicator); `description` under it.
 */
export function Panel({
  title,
  description,
  aside,
  testId,
  className,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  aside?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} data-testid={testId} className={clsx("flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm", className)}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={id} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description && <div className="text-sm text-slate-600">{description}</div>}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}
