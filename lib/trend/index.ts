// The dashboard's stored trend (issue 15): the sampler writes fleet counts on a schedule, readTrend serves a range.
import "server-only";
export { pruneSamples, readTrend, sampleSlot, takeSample } from "./store";
export { startTrendSampler, stopTrendSampler, trendSettings, TrendSampler } from "./sampler";
export * from "./schemas";
