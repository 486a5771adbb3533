// The app's one connection pool for device traffic. undici's Agent keeps one keep-alive Pool per origin, so
// each phone gets at most DEVICE_CONNECTIONS sockets however many pushes/polls target it at once.
import { Agent, type Dispatcher } from "undici";

/** Per device: one for a long-poll of the status, one for config calls next to it. */
export const DEVICE_CONNECTIONS = 2;
/** Longest status long-poll (?wait, emulator MAX_WAIT_S = 60) plus slack; the per-request deadline is stricter. */
const HEADERS_TIMEOUT_MS = 75_000;

export function createDeviceDispatcher(options: Agent.Options = {}): Agent {
  return new Agent({
    connections: DEVICE_CONNECTIONS,
    // Phones close idle sockets after a while; reuse only recently used ones to avoid racing their close.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: 30_000,
    connect: { timeout: 5_000 },
    ...options,
  });
}

let shared: Agent | null = null;

/** The module-level dispatcher used when a client is created without its own. */
export function sharedDeviceDispatcher(): Dispatcher {
  shared ??= createDeviceDispatcher();
  return shared;
}

/** Closes the shared pool (shutdown, tests). Clients created afterwards open a new one. */
export async function closeDeviceClients(): Promise<void> {
  const agent = shared;
  shared = null;
  await agent?.close();
}
