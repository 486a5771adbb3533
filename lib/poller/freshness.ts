// How old a phone's status may be before the portal calls it stale (issue 15: "data older than two poll intervals
// is marked stale with its age"), defined once for the status reply, the device list and the browser.
//
// A phone that answers normally answers at least every `answerEveryS`: one poll interval, or — held on a status
// long-poll — the hold's wait (a held phone answers the moment it changes, and with a 304 after the wait otherwise).
// Two of those without an answer is the rule. One poll window is added on top because the stored answer
// time (device_status.checked_at) is written once per window (store.ts flushLastSeen): a process that does not poll
// (POLLER=off) may read an answer up to one window late, and a healthy phone must not flicker to "stale" in it.
import "server-only";
import { MAX_STATUS_WAIT_S } from "@/lib/device/limits";
import { env } from "@/lib/env";
/** Windows (stats, device-list re-read, answer-time flush) last one interval, but never less than a second. */
export const MIN_WINDOW_MS = 1_000;

/** Wait of a held long-poll when POLL_WAIT_S is unset: the interval, 1..60 s. */
export const defaultHoldS = (intervalS: number): number => Math.min(MAX_STATUS_WAIT_S, Math.max(1, Math.round(intervalS)));

/** Length of one poll window in ms. */
export const pollWindowMs = (intervalS: number): number => Math.max(intervalS * 1000, MIN_WINDOW_MS);

/** Seconds after a phone's last answer from which what the portal shows of it is stale (see the top). */
export function staleAfterSeconds(intervalS: number, holdS: number): number {
  const answerEveryS = Math.max(intervalS, holdS);
  return 2 * answerEveryS + pollWindowMs(intervalS) / 1000;
}

/** This deployment's threshold, from the poll settings every process shares (env POLL_INTERVAL_S, POLL_WAIT_S). */
export function staleAfterS(): number {
  const e = env();
  return staleAfterSeconds(e.POLL_INTERVAL_S, e.POLL_WAIT_S ?? defaultHoldS(e.POLL_INTERVAL_S));
}

/**
 * The phone's last answer as ISO time: the stored one (any process's poller, flushed per window) or this process's
 * poller's newer one from memory.
 */
export function lastAnswerIso(storedIso: string | null | undefined, inMemory: Date | undefined): string | null {
  if (inMemory && (!storedIso || inMemory.getTime() > Date.parse(storedIso))) return inMemory.toISOString();
  return storedIso ?? null;
}
