// Is what the portal shows of a phone current? The threshold is the server's (`staleAfterS` in the status reply and
// the device list, lib/poller/freshness); this only compares it with the ticking clock. Pure.

/** A phone's status is stale when its last answer (ISO; null = none recorded) is older than `staleAfterS` at `now`. */
export function isStale(lastSeenAt: string | null, staleAfterS: number, now: number): boolean {
  return lastSeenAt === null || now - Date.parse(lastSeenAt) > staleAfterS * 1000;
}

/** The later of two ISO times (either may be missing). */
export function newerIso(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a || !b) return a ?? b ?? null;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * How often a page re-reads the last answers it judges: a quarter of the threshold. A phone answering normally is then
 * never shown stale: stored times lag ≤ one answer period + one window, and 2 periods + 1 window − that lag leaves
 * more than a quarter of the threshold for the page's own copy to age (lib/poller/freshness).
 */
export const freshnessRefetchMs = (staleAfterS: number): number => Math.max(1_000, staleAfterS * 250);
