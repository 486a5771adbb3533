import "server-only";

export { getPoller, optionsFromEnv, Poller, startPoller, stopPoller, type PollerHealth, type PollerOptions, type TrendSample, type WindowStats } from "./poller";
export { readDeviceStatus, statusCounts, type DeviceStatusView, type HistoryEntry, type StatusCounts } from "./store";
export { decideTransition, describeState } from "./transition";
