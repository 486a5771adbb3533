// A tiny provisioning server for the tests: serves files by path with HTTP Basic auth and logs each request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DigestGuard } from "../../src/sip/digest-guard";

export interface ServedRequest {
  path: string;
  authorization: string | undefined;
  userAgent: string | undefined;
  status: number;
}

export interface ProvisioningServer {
  readonly base: string;
  readonly files: Map<string, string>;
  readonly requests: ServedRequest[];
  close(): Promise<void>;
}

export async function startProvisioningServer(
  host: string,
  port: number,
  user: string,
  password: string,
  scheme: "basic" | "digest" = "basic",
): Promise<ProvisioningServer> {
  const files = new Map<string, string>();
  const requests: ServedRequest[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const digest = new DigestGuard(() => "provisioning");
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const log = (status: number) => requests.push({ path, authorization: req.headers.authorization, userAgent: req.headers["user-agent"], status });
    const challenge =
      scheme === "basic"
        ? req.headers.authorization === expected
          ? null
          : 'Basic realm="provisioning"'
        : digest.check({ authorization: req.headers.authorization, method: req.method ?? "GET" }, user, password);
    if (challenge) {
      log(401);
      res.writeHead(401, { "www-authenticate": challenge }).end("unauthorized");
      return;
    }
    const body = files.get(path);
    if (body === undefined) {
      log(404);
      res.writeHead(404).end("not found");
      return;
    }
    log(200);
    res.writeHead(200, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const info = server.address() as AddressInfo;
  return {
    base: `${info.address}:${info.port}`,
    files,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
