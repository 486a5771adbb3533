import clsx from "clsx";
import type { ReactNode } from "react";

const TONES = {
  error: "border-red-300 bg-red-50 text-red-900",
  success: "border-green-300 bg-green-50 text-green-900",
  info: "border-blue-300 bg-blue-50 text-blue-900",
} as const;

/**
 * A message box. Errors use role="alert" (announced at once); other tones use role="status".
 * Pass `testId` to find it in tests: Next renders its own role="alert" route announcer on every page.
 */
export function Alert({
  tone = "error",
  title,
  children,
  testId,
}: {
  tone?: keyof typeof TONES;
  title?: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div role={tone === "error" ? "alert" : "status"} data-testid={testId} className={clsx("rounded-md border px-3 py-2 text-sm", TONES[tone])}>
      {title && <p className="font-semibold">{title}</p>}
      {children}
    </div>
  );
}
