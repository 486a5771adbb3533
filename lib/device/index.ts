// The app's entry to the device client. The modules behind it stay free of "server-only" so vitest can load them.
import "server-only";

export { basicAuth, type AuthRequest, type DeviceAuth } from "./auth";
export {
  createDeviceClient,
  DEFAULT_TIMEOUT_MS,
  type DeviceClient,
  type DeviceClientOptions,
  type DeviceConfig,
  type Revision,
  type StatusReply,
} from "./client";
export { connectDevice, connectWebDevice, type DeviceCredentials } from "./connect";
export { closeDeviceClients, createDeviceDispatcher, DEVICE_CONNECTIONS, DevicePools, sharedDeviceDispatcher } from "./dispatcher";
export { DeviceError, isDeviceError, type DeviceErrorCode } from "./errors";
export type { DeviceConfigReply, DeviceConfigValues, DeviceInfo, DeviceStatus } from "./replies";
