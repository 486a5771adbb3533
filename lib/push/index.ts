// Push, sync and drift. Server-only: it holds device credentials and secrets in clear.
// saveDeviceConfig is the one save operation (config PATCH, bulk jobs, restore); bulk jobs get the same recording
// as a save from the device page.
import "server-only";

export { overwriteDrift, pushDeviceConfig, pushPending, saveDeviceConfig, type PushInput, type PushResult, type PushSeams, type PushSource } from "./push";
export { adoptDrift, backgroundSync, syncFromDevice, type SyncResult } from "./sync";
export { configReader } from "./background";
export type { PushErrorInfo } from "./store";
export { pushError } from "./errors";
