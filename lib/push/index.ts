// Push, sync and drift (issue 5). Server-only: it holds device credentials and secrets in clear.
// Bulk jobs call pushDeviceConfig per target and get the same recording as a push from the device page.
import "server-only";

export { overwriteDrift, pushDeviceConfig, pushPending, type PushInput, type PushResult, type PushSeams, type PushSource } from "./push";
export { adoptDrift, readIfNeverRead, syncFromDevice, type SyncResult } from "./sync";
export type { PushErrorInfo } from "./store";
export { pushError } from "./errors";
