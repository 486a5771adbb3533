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
  /**
   * Fixed place of each device within the interval, [0, 1), on the wall clock (sharded polling): every process
   * polls a device at the same moments, so a device handed from one process to another is neither polled twice
   * nor skipped in an interval. Without it, new devices get a random first slot and delays are jittered.
   */
  phase?: (id: string) => number;
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

interface HeapEntry {
  dueAt: number;
  id: string;
  /** Matches the slot's `gen` while this entry is current; older entries are skipped (lazy deletion). */
  gen: number;
}

/** Binary min-heap on dueAt: taking the next due device stays O(log n) with 10,000 devices. */
class DueHeap {
  private readonly a: HeapEntry[] = [];
  get length(): number {
    return this.a.length;
  }
  peek(): HeapEntry | undefined {
    return this.a[0];
  }
  push(e: HeapEntry): void {
    const a = this.a;
    a.push(e);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent].dueAt <= a[i].dueAt) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): HeapEntry | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].dueAt < a[m].dueAt) m = l;
        if (r < a.length && a[r].dueAt < a[m].dueAt) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

export class Schedule {
  private readonly slots = new Map<string, Slot & { gen: number }>();
  private readonly heap = new DueHeap();
  private gen = 0;
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
    this.phase = options.phase;
  }

  private readonly phase?: (id: string) => number;

  /** The first moment at or after `t` that is `id`'s place in the interval. */
  private phased(id: string, t: number): number {
    const at = Math.floor(t / this.intervalMs) * this.intervalMs + this.phase!(id) * this.intervalMs;
    return at >= t ? at : at + this.intervalMs;
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
      const slot = { id, dueAt: this.phase ? this.phased(id, now) : now + this.random() * this.intervalMs, failures: 0, etag: null, polls: 0, inFlight: false, lastDelayMs: 0, gen: 0 };
      this.slots.set(id, slot);
      this.enqueue(slot);
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

  private enqueue(slot: Slot & { gen: number }): void {
    slot.gen = ++this.gen;
    this.heap.push({ dueAt: slot.dueAt, id: slot.id, gen: slot.gen });
  }

  /** The slot a heap entry stands for, if the entry is still current. */
  private current(e: HeapEntry): (Slot & { gen: number }) | undefined {
    const slot = this.slots.get(e.id);
    return slot && slot.gen === e.gen && !slot.inFlight ? slot : undefined;
  }

  /** Up to `limit` due slots, most overdue first, marked in flight. */
  takeDue(now: number, limit: number): Slot[] {
    const taken: Slot[] = [];
    while (taken.length < limit && this.heap.length && this.heap.peek()!.dueAt <= now) {
      const slot = this.current(this.heap.pop()!);
      if (!slot) continue;
      slot.inFlight = true;
      taken.push(slot);
    }
    return taken;
  }

  /** Time of the earliest slot not in flight, or null. */
  nextDueAt(): number | null {
    while (this.heap.length && !this.current(this.heap.peek()!)) this.heap.pop();
    return this.heap.peek()?.dueAt ?? null;
  }

  /** Records an answer of a phone that stays in flight (a held long-poll): its ETag and the poll count. */
  note(id: string, etag: string | null): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.polls += 1;
    slot.etag = etag;
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
      if (this.phase) {
        // Next place on the wall clock, strictly after this one (a late poll does not cost the next interval's).
        const next = this.phased(id, Math.max(now, slot.dueAt + 1));
        slot.lastDelayMs = next - slot.dueAt;
        slot.dueAt = next;
      } else {
        slot.lastDelayMs = this.jittered(this.intervalMs);
        slot.dueAt = Math.max(now, slot.dueAt + slot.lastDelayMs);
      }
    } else {
      slot.failures += 1;
      slot.etag = null;
      slot.lastDelayMs = this.jittered(backoffDelayMs(slot.failures, this.intervalMs, this.maxBackoffMs));
      slot.dueAt = now + slot.lastDelayMs;
    }
    this.enqueue(slot);
    return slot;
  }
}
