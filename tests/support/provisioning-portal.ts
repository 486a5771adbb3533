// The portal's real provisioning route served over plain HTTP for phones of the emulator, as server.mjs serves it:
// the socket's address as X-Forwarded-For, then Next's route handler.
import * as route from "@/app/provisioning/[file]/route";
import { startRouteServer } from "./route-server";

export async function startProvisioningPortal(host: string, port: number): Promise<{ close(): Promise<void> }> {
  return startRouteServer(host, port, (req, path) => {
    const m = /^\/provisioning\/([^/?]+)$/.exec(path);
    return m ? route.GET(req, { params: Promise.resolve({ file: m[1] }) }) : null;
  });
}
