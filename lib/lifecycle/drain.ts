// The "shutting down" flag and its listeners: tiny and import-free so route handlers (SSE streams, the handler
// wrapper) can react to a shutdown without importing what lib/lifecycle starts.
const KEY = Symbol.for("sip-admin-portal.drain");
type State = { draining: boolean; listeners: Set<() => void> };
const state = ((globalThis as unknown as Record<symbol, State>)[KEY] ??= { draining: false, listeners: new Set() });

export function isDraining(): boolean {
  return state.draining;
}

/** Runs `fn` when the process starts shutting down (at once if it already is). Returns the unsubscribe. */
export function onDrain(fn: () => void): () => void {
  if (state.draining) {
    fn();
    return () => {};
  }
  state.listeners.add(fn);
  return () => state.listeners.delete(fn);
}

export function startDraining(): void {
  if (state.draining) return;
  state.draining = true;
  for (const fn of [...state.listeners]) {
    try {
      fn();
    } catch {
      /* a listener's own problem */
    }
  }
  state.listeners.clear();
}
