// RFC 3261 §17.1.2 non-INVITE client transaction over UDP, as a pure schedule: when to retransmit and when to
// give up. Timer E starts at T1 and doubles up to T2 while no response came (Trying); once a provisional (1xx)
// arrived (Proceeding) it retransmits every T2; Timer F (64·T1) ends the transaction with a timeout.

export interface SipTimerSettings {
  /** RTT estimate, default 500 ms. */
  t1Ms: number;
  /** Maximum retransmit interval for non-INVITE requests, default 4 s. */
  t2Ms: number;
  /** Timer F; RFC default 64·T1. A caller may ask for less (a health probe should not wait 32 s). */
  timeoutMs: number;
}

export const DEFAULT_TIMERS: SipTimerSettings = { t1Ms: 500, t2Ms: 4_000, timeoutMs: 32_000 };

export function timersWith(partial: Partial<SipTimerSettings> = {}): SipTimerSettings {
  const t1Ms = partial.t1Ms ?? DEFAULT_TIMERS.t1Ms;
  const t2Ms = partial.t2Ms ?? Math.max(DEFAULT_TIMERS.t2Ms, t1Ms);
  const timeoutMs = partial.timeoutMs ?? 64 * t1Ms;
  for (const [k, v] of Object.entries({ t1Ms, t2Ms, timeoutMs }))
    if (!Number.isFinite(v) || v <= 0) throw new Error(`SIP timer ${k} must be a positive number of ms, got ${v}`);
  return { t1Ms, t2Ms, timeoutMs };
}

/** Delay until the next retransmission after one that waited `previousMs` (0 = the first send). */
export function nextRetransmitMs(previousMs: number, proceeding: boolean, timers: SipTimerSettings): number {
  if (proceeding) return timers.t2Ms;
  return previousMs === 0 ? timers.t1Ms : Math.min(previousMs * 2, timers.t2Ms);
}

/** Send times (ms after the first send) of every retransmission before Timer F fires, when nothing answers. */
export function retransmitTimes(timers: SipTimerSettings): number[] {
  const times: number[] = [];
  let at = 0;
  let interval = 0;
  for (;;) {
    interval = nextRetransmitMs(interval, false, timers);
    at += interval;
    if (at >= timers.timeoutMs) return times;
    times.push(at);
  }
}
