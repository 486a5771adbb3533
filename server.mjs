// `npm start`: the production server. `next start` cannot serve HTTPS and trusts a client's own X-Forwarded-For, so
// this small wrapper around Next's request handler does three things next start does not:
//   - listens on HOST (default 127.0.0.1; 0.0.0.0 so phones on the LAN reach /provisioning/) and PORT (3000);
//   - serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set (phones of the AudioCodes family take https:// URLs);
//   - sets X-Forwarded-For to the socket's address, overwriting what the client sent (with TRUST_PROXY=1 the reverse
//     proxy's header is kept: its last entry is the client) — so PROVISIONING_ALLOW, the provisioning rate limit and
//     the sign-in throttle see the real client (lib/net/socket-address.mjs, lib/net/client-address.ts).
// Signals: see the end of this file.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import next from "next";
import { forwardSocketAddress } from "./lib/net/socket-address.mjs";

const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be 1–65535, got ${process.env.PORT}`);
const certFile = process.env.TLS_CERT_FILE;
const keyFile = process.env.TLS_KEY_FILE;
if (Boolean(certFile) !== Boolean(keyFile)) throw new Error("Set both TLS_CERT_FILE and TLS_KEY_FILE (or neither)");
const trustProxy = process.env.TRUST_PROXY === "1";

const app = next({ dev: false, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();

const forward = forwardSocketAddress(trustProxy);

function onRequest(req, res) {
  forward(req);
  handle(req, res);
}

const server = certFile
  ? https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, onRequest)
  : http.createServer(onRequest);
// Idle keep-alive connections stay open 65 s, not Node's 5 s: a client reusing a socket just as the server closes it
// gets ECONNRESET (an API client idle ~5 s between calls hit it). Longer than usual client pools' and load
// balancers' (60 s) idle times, so they close first. server.close() still closes idle connections at once.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => {
  console.log(`SIP Admin Portal listening on ${certFile ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`);
});

// SIGTERM/SIGINT: stop accepting connections. The portal's own lifecycle (lib/lifecycle, installed by
// instrumentation.ts during app.prepare()) drains requests, finishes in-flight pushes, closes the database and
// exits 0; only if it is not there does this wrapper exit by itself, as next start would.
const lifecycleInstalled = () => Boolean(globalThis[Symbol.for("sip-admin-portal.lifecycle")]?.signals);
for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]]) {
  process.on(signal, () => {
    server.close();
    if (!lifecycleInstalled() && !process.env.NEXT_MANUAL_SIG_HANDLE) app.close().finally(() => process.exit(code));
  });
}
