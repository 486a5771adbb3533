// The poller's one decision, kept pure so it can be tested with a fake clock: given what the portal knows about a
// device and what the last poll got, which status row to write (null = nothing changed) and which timeline events.
import type { DeviceStatus } from "@/lib/device/replies";
import type { ProxyRole, RegistrationState } from "@/lib/db/schema";

export type KeepAlive = DeviceStatus["keepAlive"];

/** What device_status holds for one device. */
export interface StatusRow {
  state: RegistrationState;
  proxy: ProxyRole | null;
  registrar: string | null;
  since: Date;
  lastError: string | null;
  keepAlive: KeepAlive | null;
  expiresAt: Date | null;
}

/** The portal's knowledge of a device before a poll. */
export interface Known {
  row: StatusRow;
  /** Time of the newest recorded timeline event (device transitions newer than this are new). */
  lastEventAt: Date | null;
}

/** What one poll got: a validated status, "not modified" (304), or a classified failure. */
export type PollOutcome =
  | { kind: "status"; status: DeviceStatus }
  | { kind: "not_modified" }
  | { kind: "error"; code: string; message: string };

/** One row of status_events (without the device id). */
export interface TimelineEvent {
  at: Date;
  fromState: RegistrationState | null;
  fromProxy: ProxyRole | null;
  toState: RegistrationState;
  toProxy: ProxyRole | null;
  reason: string;
}

export interface Decision {
  /** The new status row, or null when nothing worth writing changed. */
  row: StatusRow | null;
  events: TimelineEvent[];
}

const NOTHING: Decision = { row: null, events: [] };
const date = (iso: string | null): Date | null => {
  if (iso === null) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** Keep-alive facts worth a write: which proxy answers and where it is. Times and round trips change every probe. */
function keepAliveKey(ka: KeepAlive | null): string {
  if (!ka) return "";
  return [ka.primary, ka.redundant].map((p) => `${p.address}|${p.reachable}`).join(";");
}

/** Whether two rows differ in anything an administrator would call a change (not a refresh of times). */
export function significantlyDifferent(a: StatusRow, b: StatusRow): boolean {
  return (
    a.state !== b.state ||
    a.proxy !== b.proxy ||
    a.registrar !== b.registrar ||
    a.lastError !== b.lastError ||
    a.since.getTime() !== b.since.getTime() ||
    keepAliveKey(a.keepAlive) !== keepAliveKey(b.keepAlive)
  );
}

function rowFromStatus(status: DeviceStatus, now: Date): StatusRow {
  return {
    state: status.state,
    proxy: status.proxy,
    registrar: status.registrar,
    since: date(status.since) ?? now,
    lastError: status.lastError,
    keepAlive: status.keepAlive,
    expiresAt: date(status.expiresAt),
  };
}

/** "registered to redundant", "unreachable", "registering to primary". */
export function describeState(state: RegistrationState | null, proxy: ProxyRole | null): string {
  if (state === null) return "unknown";
  return proxy && state !== "unreachable" ? `${state} to ${proxy}` : state;
}

export function decideTransition(prev: Known | null, outcome: PollOutcome, now: Date): Decision {
  if (outcome.kind === "not_modified") return NOTHING;

  if (outcome.kind === "error") {
    const message = outcome.message;
    if (prev?.row.state === "unreachable") {
      // Still unreachable: only a different failure (refused → timeout) is worth updating; no new event.
      return prev.row.lastError === message ? NOTHING : { row: { ...prev.row, lastError: message }, events: [] };
    }
    const row: StatusRow = {
      state: "unreachable",
      proxy: null,
      registrar: prev?.row.registrar ?? null,
      since: now,
      lastError: message,
      // The last keep-alive facts the device gave stay visible (marked as of before it went silent).
      keepAlive: prev?.row.keepAlive ?? null,
      expiresAt: null,
    };
    const reason = prev
      ? `device stopped answering the portal (${outcome.code}): ${message}`
      : `device does not answer the portal (${outcome.code}): ${message}`;
    return {
      row,
      events: [{ at: now, fromState: prev?.row.state ?? null, fromProxy: prev?.row.proxy ?? null, toState: "unreachable", toProxy: null, reason }],
    };
  }

  const status = outcome.status;
  const row = rowFromStatus(status, now);
  if (prev && !significantlyDifferent(prev.row, row)) return NOTHING;
  const sameState = prev !== null && prev.row.state === row.state && prev.row.proxy === row.proxy;

  if (prev === null) {
    const reason = "first status seen by the portal" + (row.lastError ? `: ${row.lastError}` : "");
    return { row, events: [{ at: row.since, fromState: null, fromProxy: null, toState: row.state, toProxy: row.proxy, reason }] };
  }
  if (prev.row.state === "unreachable") {
    // Whatever happened on the phone while the portal could not see it, the timeline shows the return.
    const newest = status.transitions.find((t) => t.at !== null);
    const reason = "device answers the portal again" + (newest ? ` (last change on the device: ${newest.reason})` : "");
    return { row, events: [{ at: now, fromState: "unreachable", fromProxy: null, toState: row.state, toProxy: row.proxy, reason }] };
  }

  // The device's own transitions (newest first) since the last one recorded, replayed oldest first.
  const cutoff = (prev.lastEventAt ?? prev.row.since).getTime();
  const events: TimelineEvent[] = [];
  for (const t of [...status.transitions].reverse()) {
    const at = date(t.at);
    if (at === null || at.getTime() <= cutoff) continue;
    events.push({ at, fromState: t.from.state, fromProxy: t.from.proxy, toState: t.to.state, toProxy: t.to.proxy, reason: t.reason });
  }
  const last = events.at(-1);
  const reachedCurrent = last !== undefined && last.toState === row.state && last.toProxy === row.proxy;
  if (!sameState && !reachedCurrent) {
    // The device changed state but its list does not say how (list truncated, clock skew): say so plainly.
    events.push({
      at: row.since.getTime() > cutoff ? row.since : now,
      fromState: last?.toState ?? prev.row.state,
      fromProxy: last ? last.toProxy : prev.row.proxy,
      toState: row.state,
      toProxy: row.proxy,
      reason: "state changed (the device reported no transition)",
    });
  }
  return { row, events };
}
