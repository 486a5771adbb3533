// The loop shape of the portal's periodic services (proxy prober, registrar monitor): one round at a time —
// a round asked for while one runs joins it — then the next after the interval, until stopped; stop() waits for
// the round in flight. Tiny and import-free so any service can use it.
export class Rounds {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly intervalMs: () => number,
    private readonly run: () => Promise<void>,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      await this.now();
      if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs());
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  /** One round now (or the one already running). */
  now(): Promise<void> {
    this.round ??= this.run().finally(() => (this.round = null));
    return this.round;
  }
}
