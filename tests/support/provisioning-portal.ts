// The portal's real provisioning route served over plain HTTP for phones of the emulator, as server.mjs serves it:
// the socket's address as X-Forwarded-For, then Next's route handler.
import http from "node:http";
import * as route from "@/app/provisioning/[file]/route";

export async function startProvisioningPortal(host: string, port: number): Promise<{ close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const m = /^\/provisioning\/([^/?]+)$/.exec(req.url ?? "");
    if (!m) return void res.writeHead(404).end();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    headers.set("x-forwarded-for", req.socket.remoteAddress ?? "");
    const r = await route.GET(new Request(`http://${req.headers.host}${req.url}`, { headers }), { params: Promise.resolve({ file: m[1] }) });
    res.writeHead(r.status, Object.fromEntries(r.headers));
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
