// A real EventSource client (undici's, the WHATWG implementation) in its own process, as a browser would be:
// connects to the portal's GET /api/v1/events with a session token and prints one JSON line per `status`
// event with the time it arrived (same machine clock as the bench). Run by bench/poller.ts on the emulator's core.
//   node --import tsx bench/support/sse-client.ts URL TOKEN
import { Agent, EventSource, type Dispatcher } from "undici";

const [url, token] = process.argv.slice(2);
if (!url || !token) throw new Error("usage: sse-client.ts URL TOKEN");

// EventSource sends no custom headers; an interceptor adds the Bearer token the portal's handler accepts.
const dispatcher = new Agent().compose((dispatch) => (opts: Dispatcher.DispatchOptions, handler) => {
  const auth = `Bearer ${token}`;
  const h = opts.headers;
  const headers = Array.isArray(h) ? [...h, "authorization", auth] : { ...(h as Record<string, string> | undefined), authorization: auth };
  return dispatch({ ...opts, headers }, handler);
});

const source = new EventSource(url, { dispatcher });
source.addEventListener("ready", () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`));
source.addEventListener("status", (e) => {
  const t = Date.now();
  const data = JSON.parse((e as MessageEvent<string>).data) as { deviceId: string; state: string };
  process.stdout.write(`${JSON.stringify({ t, deviceId: data.deviceId, state: data.state })}\n`);
});
source.onerror = () => process.stderr.write("sse-client: stream error (EventSource reconnects)\n");
process.on("SIGTERM", () => {
  source.close();
  process.exit(0);
});
