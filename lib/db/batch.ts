// Group commit of one kind of statement: at most one in flight; the calls that arrive meanwhile go out together in
// the next one. Nothing waits on a timer (a lone call is sent at once), so an idle portal sees no added latency and
// a busy one (a bulk job's pushes) sends one statement for many targets. Pure (no database import): the caller
// passes the function that runs one group.

export interface BatcherOptions<I> {
  /** At most this many calls per statement (default 64). */
  max?: number;
  /**
   * Calls with the same key never share a statement (a later one waits for the next group): two conditional writes
   * of one device's row in one statement would both see the row as read.
   */
  key?: (item: I) => string;
  /**
   * Whether a group that failed with `err` may be run again call by call, so that one call's failure (or a deadlock
   * of the group's locks) is only its own. Only for errors after which nothing was written.
   */
  retryAlone?: (err: unknown) => boolean;
}

/** `run(items)` answers one result per item, in order. */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, options: BatcherOptions<I> = {}): (item: I) => Promise<O> {
  const max = options.max ?? 64;
  type Call = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let queue: Call[] = [];
  let running = false;

  const take = (): Call[] => {
    const group: Call[] = [];
    const keys = new Set<string>();
    const rest: Call[] = [];
    for (const c of queue) {
      const k = options.key?.(c.item);
      if (group.length >= max || (k !== undefined && keys.has(k))) rest.push(c);
      else {
        group.push(c);
        if (k !== undefined) keys.add(k);
      }
    }
    queue = rest;
    return group;
  };

  const settle = async (group: Call[]) => {
    try {
      const out = await run(group.map((c) => c.item));
      group.forEach((c, i) => c.resolve(out[i]));
    } catch (err) {
      if (group.length > 1 && options.retryAlone?.(err)) {
        for (const c of group) await settle([c]);
      } else for (const c of group) c.reject(err);
    }
  };

  const flush = async () => {
    running = true;
    while (queue.length) await settle(take());
    running = false;
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!running) void flush();
    });
}

/**
 * A PostgreSQL error reported by the server for an autocommit statement (an ErrorResponse: severity and SQLSTATE):
 * the statement was rolled back, so running it again cannot write twice. A lost connection is not one (it may have
 * committed). drizzle wraps the driver's error in `cause`.
 */
export function serverRejected(err: unknown): boolean {
  for (let e = err as { code?: unknown; severity?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++)
    if (typeof e.severity === "string" && typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return true;
  return false;
}
