// Wording of registration states, shared by the list, the device panel and the dashboard.
import type { BadgeTone } from "@/components/ui/Badge";
import type { ProxyRole, RegistrationState, StatusBrief } from "./live";

export function statusLabel(s: { state: RegistrationState | null; proxy: ProxyRole | null } | null): string {
  if (!s || s.state === null) return "Not polled yet";
  switch (s.state) {
    case "registered":
      return s.proxy === "redundant" ? "Registered · redundant (failed over)" : "Registered · primary";
    case "registering":
      return "Registering";
    case "unregistered":
      return "Unregistered";
    case "failed":
      return "Failed";
    case "unreachable":
      return "Unreachable";
  }
}

export function statusTone(s: StatusBrief | null): BadgeTone {
  if (!s) return "neutral";
  if (s.state === "registered") return s.proxy === "redundant" ? "amber" : "green";
  if (s.state === "registering") return "blue";
  if (s.state === "unregistered") return "neutral";
  return "red";
}

/** "registered to redundant" — for timeline lines. */
export function stateWords(state: RegistrationState | null, proxy: ProxyRole | null): string {
  if (state === null) return "unknown";
  return proxy && state !== "unreachable" ? `${state} to ${proxy}` : state;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago". */
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "short" });

/** "52 sec. ago", "in 59 min." — past (since …) and future (a binding's expiry) alike. */
export function relativeTime(iso: string, now: number): string {
  const s = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 5) return "just now";
  if (abs < 60) return relative.format(s, "second");
  if (abs < 3600) return relative.format(Math.trunc(s / 60), "minute");
  if (abs < 86_400) return relative.format(Math.trunc(s / 3600), "hour");
  return relative.format(Math.trunc(s / 86_400), "day");
}

/** 12:04:30 (local), with the date when not today. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString("en-GB", { hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString("en-CA")} ${time}`;
}
