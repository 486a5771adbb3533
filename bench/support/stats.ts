// Pure helpers of the benchmarks (bench/*.ts, scripts/bench.mjs): percentiles, ratios to a ceiling, the JSON shape.
// Unit-tested in tests/bench/stats.test.ts; nothing here measures or times anything.

/** Nearest-rank percentile (q in 0..1) of the values; null when there are none. */
export function percentile(values: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new Error(`percentile q must be 0..1, got ${q}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

/**
 * How close a figure gets to its ceiling, 0..1 (1 = as good as the ceiling). `higherIsBetter` for rates
 * (polls/s: figure / ceiling); otherwise for times (seconds, ms: ceiling / figure). Null when either is missing
 * or the ceiling is not positive. Rounded to 3 decimals; a figure better than the ceiling (noise) is capped at 1.
 */
export function ratio(figure: number | null | undefined, ceiling: number | null | undefined, higherIsBetter: boolean): number | null {
  if (figure == null || ceiling == null || !Number.isFinite(figure) || !Number.isFinite(ceiling) || ceiling <= 0 || figure < 0) return null;
  if (!higherIsBetter && figure === 0) return 1;
  const r = higherIsBetter ? figure / ceiling : ceiling / figure;
  return Math.round(Math.min(1, r) * 1000) / 1000;
}

/** Events per second over `ms` milliseconds. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count / ms) * 1000 : 0;
}

/** One fleet size's figures (bench/poller.ts). Every figure next to the ceiling it is compared with. */
export interface ScaleFigures {
  devices: number;
  engine: string;
  /** Poll interval of the lag phase (s); the default is 15. */
  intervalS: number;
  concurrency: number;
  /** Sustained polls/s of the real poller, saturated (interval far below what the fleet needs). */
  pollRate: number;
  /** A raw GET /status loop at the same concurrency on the same emulator (the HTTP ceiling). */
  rawRate: number;
  pollRatio: number | null;
  /** CPU time of the portal process per poll while saturated, and per raw exchange (µs): robust under load. */
  pollCpuUs: number;
  rawCpuUs: number;
  pollCpuRatio: number | null;
  /** devices / 15: what every phone on time at the default interval needs. */
  pollNeeded: number;
  /** At the lag phase's interval: the poller's schedule lag (ms) in its last complete window. */
  scheduleLagAvgMs: number | null;
  scheduleLagMaxMs: number | null;
  /** Phone status changed via the emulator's control surface → the portal's bus event. */
  statusLagP99Ms: number | null;
  statusLagP50Ms: number | null;
  /** The same change seen by a raw client holding the device's long-poll (the ceiling). */
  statusLagCeilingMs: number | null;
  statusLagRatio: number | null;
  /** → a real EventSource client on GET /api/v1/events. */
  sseP95Ms: number | null;
  sseRatio: number | null;
  /** Changes made (phones taken offline); the lag percentiles cover all of them, unseen ones at the deadline (a lower bound). */
  lagChanges: number;
  /** Of those, seen by the deadline on the bus / by the EventSource client. */
  lagSamples: number;
  sseSamples: number;
  portalRssMb: number;
  emulatorRssMb: number | null;
  errors: Record<string, number>;
  /** The lag phase's held long-poll wait (s; 0 = interval polls only) and how many phones were held. */
  waitS?: number;
  heldPhones?: number;
  /** process.memoryUsage() of the portal-side process at each step, MB. */
  memorySteps?: Array<{ step: string; rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number }>;
}

export interface PushFigures {
  pushDevices: number;
  pushConcurrency: number;
  /** Wall time of one bulk job (read, PATCH If-Match, read back, record). */
  pushSeconds: number;
  /** GET + PATCH If-Match loop at the same concurrency on the same emulator (the ceiling). */
  pushRawSeconds: number;
  pushRatio: number | null;
  pushApplied: number;
  pushFailed: number;
  pushStatementsPerTarget: number;
}

export interface BenchResult {
  generatedAt: string;
  quick: boolean;
  command: string;
  machine: { nproc: number; memTotalMb: number; cpuModel: string; node: string; loadAvgBefore: number[]; loadAvgAfter: number[] };
  pinning: string;
  /** Headline figures: the largest fleet measured, plus the bulk push. */
  devices: number;
  engine: string;
  pollRate: number;
  pollRatio: number | null;
  statusLagP99Ms: number | null;
  sseP95Ms: number | null;
  portalRssMb: number;
  /** Seconds for one job over 1,000 phones (null when --quick measured fewer; see push.pushDevices). */
  push1000Seconds: number | null;
  pushRatio: number | null;
  sizes: ScaleFigures[];
  push: PushFigures | null;
}

/** Folds the per-size runs and the push run into the JSON document; headline figures from the largest fleet. */
export function benchResult(base: Pick<BenchResult, "generatedAt" | "quick" | "command" | "machine" | "pinning">, sizes: ScaleFigures[], push: PushFigures | null): BenchResult {
  if (sizes.length === 0) throw new Error("no fleet size was measured");
  const largest = [...sizes].sort((a, b) => b.devices - a.devices)[0];
  return {
    ...base,
    devices: largest.devices,
    engine: largest.engine,
    pollRate: largest.pollRate,
    pollRatio: largest.pollRatio,
    statusLagP99Ms: largest.statusLagP99Ms,
    sseP95Ms: largest.sseP95Ms,
    portalRssMb: largest.portalRssMb,
    push1000Seconds: push && push.pushDevices === 1000 ? push.pushSeconds : null,
    pushRatio: push?.pushRatio ?? null,
    sizes: [...sizes].sort((a, b) => a.devices - b.devices),
    push,
  };
}
