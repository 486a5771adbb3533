// The one step between the socket and the portal's route code (server.mjs, also used by tests that serve routes
// over real sockets). Next gives route handlers no socket address, and under `next start` / `next dev`
// X-Forwarded-For is whatever the client sent — so server.mjs writes the socket's address into X-Forwarded-For
// (overwriting the client's; with TRUST_PROXY=1 the reverse proxy's header is kept) and raises a process flag
// saying so. lib/net/client-address.ts believes the header without TRUST_PROXY only when that flag is up.
// Plain JavaScript: server.mjs runs without a TypeScript loader.

/** Set on globalThis by the server that rewrote X-Forwarded-For. */
export const SOCKET_FORWARDED = Symbol.for("sip-admin-portal.socket-forwarded");

/**
 * Raises the flag and returns the per-request step: X-Forwarded-For := the socket's address, unless TRUST_PROXY
 * is on and a proxy sent one.
 * @param {boolean} trustProxy
 * @returns {(req: import("node:http").IncomingMessage) => void}
 */
export function forwardSocketAddress(trustProxy) {
  /** @type {Record<symbol, unknown>} */ (/** @type {unknown} */ (globalThis))[SOCKET_FORWARDED] = true;
  return (req) => {
    if (!(trustProxy && req.headers["x-forwarded-for"])) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  };
}
