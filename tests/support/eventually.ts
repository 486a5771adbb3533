// Waits until a probe's value passes a check (state reached by real parts: emulator, poller, runner), or fails
// naming what was awaited and the last value seen.
export async function eventually<T>(what: string, probe: () => Promise<T> | T, check: (value: T) => boolean, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
