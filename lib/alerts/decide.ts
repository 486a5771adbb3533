// The alert engine's decisions, pure: what a status change, a proxy probe or a finished job means in incidents
// (open one / resolve one), when an unreachable phone has been away long enough, how due deliveries are grouped
// (many of one kind at once → one summary), and the retry backoff.
//
// Incidents, by key:
//   device:<id>:failover     opened by device.failed_over (registered to the redundant proxy), resolved by device.failed_back
//   device:<id>:unregistered opened when the phone reports unregistered or failed, resolved when it registers
//   device:<id>:unreachable  opened after ALERT_UNREACHABLE_AFTER_S without an answer, resolved when it answers
//   device:<id>:drift        opened when its configuration drifted, resolved when it is in sync again
//   proxy:<address>          opened by proxy.down, resolved by proxy.up
//   job:<id>                 job.finished_with_failures, once (never resolved)
import type { AlertEvent, AlertPhase } from "./model";

export type Signal =
  | { kind: "open"; key: string; event: AlertEvent; details: Record<string, unknown> }
  | { kind: "resolve"; key: string; event: AlertEvent; details: Record<string, unknown> }
  | { kind: "once"; key: string; event: AlertEvent; details: Record<string, unknown> };

export interface Reg {
  /** null: nothing known (a phone without a status interface that answers SIP OPTIONS again). */
  state: string | null;
  proxy: string | null;
}

const keyOf = (id: string, what: string) => `device:${id}:${what}`;

/** A device's registration changed from `prev` (null: first seen) to `next`. Unreachable is timed separately. */
export function statusSignals(id: string, prev: Reg | null, next: Reg, reason: string | null): Signal[] {
  const out: Signal[] = [];
  const why = reason ? { reason } : {};
  if (next.state === "registered") {
    out.push({ kind: "resolve", key: keyOf(id, "unregistered"), event: "device.unregistered", details: { ...why } });
    if (next.proxy === "redundant") out.push({ kind: "open", key: keyOf(id, "failover"), event: "device.failed_over", details: { from: prev?.proxy ?? null, to: "redundant", ...why } });
    else out.push({ kind: "resolve", key: keyOf(id, "failover"), event: "device.failed_back", details: { to: next.proxy, ...why } });
  } else if (next.state === "unregistered" || next.state === "failed") {
    out.push({ kind: "open", key: keyOf(id, "unregistered"), event: "device.unregistered", details: { state: next.state, ...why } });
  }
  if (next.state !== "unreachable") out.push({ kind: "resolve", key: keyOf(id, "unreachable"), event: "device.unreachable", details: { state: next.state } });
  return out;
}

/** Unreachable phones (id → since) that have been away at least `afterMs` at `now`, as open signals. */
export function unreachableSignals(away: ReadonlyMap<string, Date>, now: Date, afterMs: number): Signal[] {
  const out: Signal[] = [];
  for (const [id, since] of away) {
    if (now.getTime() - since.getTime() >= afterMs)
      out.push({ kind: "open", key: keyOf(id, "unreachable"), event: "device.unreachable", details: { since: since.toISOString(), afterS: Math.round(afterMs / 1000) } });
  }
  return out;
}

export function proxySignal(address: string, up: boolean, reason: string | null): Signal {
  return up
    ? { kind: "resolve", key: `proxy:${address}`, event: "proxy.up", details: { reason } }
    : { kind: "open", key: `proxy:${address}`, event: "proxy.down", details: { reason } };
}

export function driftSignal(id: string, drifted: boolean, keys: string[]): Signal {
  return drifted
    ? { kind: "open", key: keyOf(id, "drift"), event: "device.drifted", details: { keys } }
    : { kind: "resolve", key: keyOf(id, "drift"), event: "device.drifted", details: {} };
}

export function jobSignal(jobId: string, counts: Record<string, number>): Signal | null {
  if (!(counts.failed > 0)) return null;
  return { kind: "once", key: `job:${jobId}`, event: "job.finished_with_failures", details: { jobId, counts } };
}

/** The event that opens an incident of `key` (a channel asking for it also hears its resolve). */
export function openingEvent(key: string): AlertEvent {
  if (key.startsWith("proxy:")) return "proxy.down";
  if (key.startsWith("job:")) return "job.finished_with_failures";
  const what = key.slice(key.lastIndexOf(":") + 1);
  return ({ failover: "device.failed_over", unregistered: "device.unregistered", unreachable: "device.unreachable", drift: "device.drifted" } as const)[what as "failover"] ?? "device.unregistered";
}

/** Device alerts wait this long so that many of one kind (a proxy with 5,000 phones went down) go out as one. */
export const batched = (event: AlertEvent) => event.startsWith("device.");

export interface DueDelivery {
  id: number;
  channelId: string;
  event: AlertEvent;
  phase: AlertPhase;
}

/** Groups due deliveries per channel, event and phase: groups larger than `summaryOver` become one summary. */
export function groupDue<T extends DueDelivery>(due: T[], summaryOver: number): { single: T[]; summaries: T[][] } {
  const groups = new Map<string, T[]>();
  for (const d of due) {
    const k = `${d.channelId}|${d.event}|${d.phase}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(d);
  }
  const single: T[] = [];
  const summaries: T[][] = [];
  for (const g of groups.values()) {
    if (g.length > summaryOver && batched(g[0].event)) summaries.push(g);
    else single.push(...g);
  }
  return { single, summaries };
}

/** Delay before retry `attempt` (1 = the first retry): 2 s, 4 s, 8 s … capped at 5 min. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 300_000);
}

export const MAX_ATTEMPTS = 8;
