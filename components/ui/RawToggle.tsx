"use client";

/** "Show raw keys and values": values are shown as people read them; this reveals the device's own form. */
export function RawToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      onClick={() => onChange(!on)}
      className="self-start rounded text-xs text-blue-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      {on ? "Hide raw keys and values" : "Show raw keys and values"}
    </button>
  );
}
