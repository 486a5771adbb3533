// The trend sampler: every STATUS_SAMPLE_INTERVAL_S the fleet's counts go into status_samples (one row per
// interval however many processes sample), and samples past STATUS_SAMPLE_RETENTION_DAYS are pruned once an hour.
// Stored, so the dashboard's trend survives a restart.
import "server-only";
import { logger } from "@/lib/api/logger";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { Rounds } from "@/lib/lifecycle/rounds";
import { pruneSamples, takeSample } from "./store";

const HOUR_MS = 3_600_000;

export class TrendSampler {
  private readonly rounds: Rounds;
  private nextPruneAt = 0;

  constructor(private readonly settings: () => { intervalS: number; retentionDays: number } = trendSettings) {
    this.rounds = new Rounds(() => this.msToNextSlot(), () => this.round());
  }

  /** Sample at the start of each interval (a restart mid-interval still fills that interval). */
  private msToNextSlot(): number {
    const ms = this.settings().intervalS * 1000;
    return ms - (Date.now() % ms) + 50;
  }

  private async round(): Promise<void> {
    const { intervalS, retentionDays } = this.settings();
    try {
      const db = await getDb();
      const now = new Date();
      await takeSample(db, now, intervalS);
      if (now.getTime() >= this.nextPruneAt) {
        this.nextPruneAt = now.getTime() + HOUR_MS;
        const deleted = await pruneSamples(db, new Date(now.getTime() - retentionDays * 86_400_000));
        if (deleted) logger.info({ deleted, retentionDays }, "trend: pruned old samples");
      }
    } catch (err) {
      // A missed sample is a gap in the chart, not a stopped sampler.
      logger.warn({ err }, "trend: storing a sample failed");
    }
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** One sample now (tests). */
  sampleNow(): Promise<void> {
    return this.rounds.now();
  }
}

export function trendSettings(): { intervalS: number; retentionDays: number } {
  const e = env();
  return { intervalS: e.STATUS_SAMPLE_INTERVAL_S, retentionDays: e.STATUS_SAMPLE_RETENTION_DAYS };
}

const KEY = Symbol.for("sip-admin-portal.trend-sampler");
type Holder = { [KEY]?: TrendSampler };
const holder = globalThis as unknown as Holder;

export function startTrendSampler(): TrendSampler {
  const sampler = (holder[KEY] ??= new TrendSampler());
  sampler.start();
  return sampler;
}

export async function stopTrendSampler(): Promise<void> {
  const sampler = holder[KEY];
  delete holder[KEY];
  await sampler?.stop();
}
