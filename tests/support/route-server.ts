// The portal's route handlers served over real sockets the way `npm start` serves them: every request goes through
// server.mjs's own step (lib/net/socket-address.mjs: X-Forwarded-For := the socket's address, the process flag up),
// then the route. For tests that need real client addresses (sign-in throttle, provisioning), without a build.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { SOCKET_FORWARDED, forwardSocketAddress } from "@/lib/net/socket-address.mjs";

export type Route = (req: Request, path: string) => Promise<Response> | null;

const lowerFlag = () => delete (globalThis as unknown as Record<symbol, unknown>)[SOCKET_FORWARDED];

export async function startRouteServer(
  host: string,
  port: number,
  route: Route,
  opts: { trustProxy?: boolean } = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const forward = forwardSocketAddress(opts.trustProxy ?? false);
  const server = http.createServer(async (req, res) => {
    forward(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(`http://${req.headers.host}${req.url}`);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const r = await route(new Request(url, { method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined }), url.pathname);
    if (!r) return void res.writeHead(404).end();
    const out: Record<string, string | string[]> = {};
    r.headers.forEach((v, k) => (out[k] = v));
    if (r.headers.getSetCookie().length) out["set-cookie"] = r.headers.getSetCookie();
    res.writeHead(r.status, out);
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        lowerFlag();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** For files that call route handlers directly with an X-Forwarded-For "as server.mjs wrote it": the flag up. */
export function useSocketForwarding(): void {
  beforeAll(() => void forwardSocketAddress(false));
  afterAll(lowerFlag);
}
