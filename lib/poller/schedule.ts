// When each device is polled next: spread over the interval on first sight (jitter, so 10,000 devices do not
// all fire at once), every interval (±jitter) while it answers, exponential backoff while it does not.
// Pure bookkeeping on an injected clock (numbers in ms), so it is unit-tested without timers.

export interface ScheduleOptions {
  intervalMs: number;
  /** Backoff ceiling for a device that keeps failing. */
  maxBackoffMs?: number;
  /** ± fraction applied to every delay (0.1 = ±10 %). */
  jitter?: number;
  /** [0, 1) source; injectable for tests. */
  random?: () => number;
}

export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

export interface Slot {
  id: string;
  /** When the next poll is due (ms). */
  dueAt: number;
  /** Consecutive failed polls. */
  failures: number;
  /** ETag of the last status seen (conditional GET). */
  etag: string | null;
  polls: number;
  inFlight: boolean;
  /** Delay chosen after the last poll (ms): shows the backoff. */
  lastDelayMs: number;
}

/** Delay before the next poll after `failures` consecutive failures: interval, then 2×, 4×, … up to the cap. */
export function backoffDelayMs(failures: number, intervalMs: number, maxBackoffMs = DEFAULT_MAX_BACKOFF_MS): number {
  if (failures <= 0) return intervalMs;
  return Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failures, 30));
}

export class Schedule {
  private readonly slots = new Map<string, Slot>();
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: ScheduleOptions) {
    if (!(options.intervalMs > 0)) throw new Error(`poll interval must be positive, got ${options.intervalMs} ms`);
    this.intervalMs = options.intervalMs;
    this.maxBackoffMs = Math.max(options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, this.intervalMs);
    this.jitter = options.jitter ?? 0.1;
    this.random = options.random ?? Math.random;
  }

  private jittered(ms: number): number {
    return ms * (1 + this.jitter * (2 * this.random() - 1));
  }

  /** Makes the schedule hold exactly these devices: new ones get a random first slot within one interval. */
  sync(ids: Iterable<string>, now: number): { added: string[]; removed: string[] } {
    const wanted = new Set(ids);
    const removed: string[] = [];
    for (const id of this.slots.keys()) {
      if (!wanted.has(id)) {
        this.slots.delete(id);
        removed.push(id);
      }
    }
    const added: string[] = [];
    for (const id of wanted) {
      if (this.slots.has(id)) continue;
      this.slots.set(id, { id, dueAt: now + this.random() * this.intervalMs, failures: 0, etag: null, polls: 0, inFlight: false, lastDelayMs: 0 });
      added.push(id);
    }
    return { added, removed };
  }

  get size(): number {
    return this.slots.size;
  }

  get(id: string): Slot | undefined {
    return this.slots.get(id);
  }

  all(): IterableIterator<Slot> {
    return this.slots.values();
  }

  /** Up to `limit` due slots, most overdue first, marked in flight. */
  takeDue(now: number, limit: number): Slot[] {
    if (limit <= 0) return [];
    const due: Slot[] = [];
    for (const slot of this.slots.values()) if (!slot.inFlight && slot.dueAt <= now) due.push(slot);
    due.sort((a, b) => a.dueAt - b.dueAt);
    const taken = due.slice(0, limit);
    for (const slot of taken) slot.inFlight = true;
    return taken;
  }

  /** Time of the earliest slot not in flight, or null. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const slot of this.slots.values()) if (!slot.inFlight && (next === null || slot.dueAt < next)) next = slot.dueAt;
    return next;
  }

  /**
   * Records a finished poll. Success keeps the device on its cadence (due + interval, so lag does not
   * accumulate; never in the past); failure backs off from now.
   */
  complete(id: string, ok: boolean, now: number, etag?: string | null): Slot | undefined {
    const slot = this.slots.get(id);
    if (!slot) return undefined; // removed while in flight
    slot.inFlight = false;
    slot.polls += 1;
    if (etag !== undefined) slot.etag = etag;
    if (ok) {
      slot.failures = 0;
      slot.lastDelayMs = this.jittered(this.intervalMs);
      slot.dueAt = Math.max(now, slot.dueAt + slot.lastDelayMs);
    } else {
      slot.failures += 1;
      slot.etag = null;
      slot.lastDelayMs = this.jittered(backoffDelayMs(slot.failures, this.intervalMs, this.maxBackoffMs));
      slot.dueAt = now + slot.lastDelayMs;
    }
    return slot;
  }
}
