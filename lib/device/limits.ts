// Limits of the device status API that several layers share (the env check, the poller, the connection pool).
// A leaf module with no imports, so lib/env can use it without a cycle.

/** The longest `GET /status?wait=` a phone holds (emulator MAX_WAIT_S, emulator/API.md); POLL_WAIT_S is capped at it. */
export const MAX_STATUS_WAIT_S = 60;
