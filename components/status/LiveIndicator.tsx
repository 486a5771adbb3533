"use client";
import clsx from "clsx";
import type { Connection } from "./live";

const TEXT: Record<Connection, string> = { idle: "", connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

/** Whether the status shown is live; "Reconnecting…" while the stream is lost (it recovers by itself). */
export function LiveIndicator({ connection }: { connection: Connection }) {
  if (connection === "idle") return null;
  return (
    <span role="status" data-testid="live-indicator" data-connection={connection} className="inline-flex items-center gap-1.5 text-xs text-slate-600">
      <span
        aria-hidden
        className={clsx("h-2 w-2 rounded-full", connection === "live" ? "bg-green-500" : connection === "reconnecting" ? "animate-pulse bg-amber-500" : "bg-slate-400")}
      />
      {TEXT[connection]}
    </span>
  );
}
