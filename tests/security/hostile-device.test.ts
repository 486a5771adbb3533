// Issue 13: a hostile (or broken) phone. A real HTTP server on 127.68.2.1 answers the portal's config read with a
// 50 MB body, a drip of one byte at a time, 100k keys, a redirect, a reply cut in the middle or garbage. Each read
// (POST /devices/<id>/sync, the admin's "Read from device") must end in a clear, classified error that names the
// phone, read only a bounded part of what was sent, store nothing, and leave the portal serving other requests.
// Address range (i13-sec): 127.68.2.x, ports chosen by the OS.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as revisionsRoute from "@/app/api/v1/devices/[id]/revisions/route";
import * as revisionRoute from "@/app/api/v1/devices/[id]/revisions/[rid]/route";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const HOST = "127.68.2.1";
const MB = 1024 * 1024;

type Mode = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let mode: Mode = (_req, res) => res.end();
/** Bytes of body the hostile phone got into the socket before the portal hung up, per request. */
let written = 0;
let redirectHits = 0;

/** Writes `total` bytes of `chunk`-sized pieces, honouring backpressure, until done or the client goes away. */
function flood(res: http.ServerResponse, total: number, piece: Buffer): void {
  let sent = 0;
  const more = () => {
    while (sent < total && !res.destroyed) {
      sent += piece.length;
      if (!res.write(piece, () => (written += piece.length))) return void res.once("drain", more);
    }
    res.end();
  };
  more();
}

let phone: http.Server;
let phone2: http.Server;
let elsewhere: http.Server;
let deviceId = "";
/** A second phone (same hostile behaviour) for the cases after one that may have read successfully. */
let secondId = "";

beforeAll(async () => {
  phone = http.createServer((req, res) => mode(req, res));
  phone2 = http.createServer((req, res) => mode(req, res));
  elsewhere = http.createServer((_req, res) => {
    redirectHits++;
    res.end(JSON.stringify({ revision: 1, values: {} }));
  });
  await new Promise<void>((r) => phone.listen(0, HOST, r));
  await new Promise<void>((r) => phone2.listen(0, HOST, r));
  await new Promise<void>((r) => elsewhere.listen(0, "127.68.2.2", r));
  const port = (phone.address() as AddressInfo).port;
  deviceId = (await createDevice({ name: "hostile phone", address: `${HOST}:${port}`, username: "admin", password: "pw" }, "root")).id;
  const port2 = (phone2.address() as AddressInfo).port;
  secondId = (await createDevice({ name: "hostile phone 2", address: `${HOST}:${port2}`, username: "admin", password: "pw" }, "root")).id;
  process.env.DEVICE_TIMEOUT_MS = "1500";
});
afterAll(async () => {
  delete process.env.DEVICE_TIMEOUT_MS;
  await closeDeviceClients();
  await new Promise((r) => phone?.close(r));
  await new Promise((r) => phone2?.close(r));
  await new Promise((r) => elsewhere?.close(r));
});

/** "Read from device" against the current mode; also checks that nothing was stored from it. */
async function readFails(expected: { status: number; code: string | RegExp; message: RegExp }) {
  written = 0;
  const r = await call(syncRoute.POST, "POST", `/devices/${deviceId}/sync`, { token: f.admin, params: { id: deviceId } });
  expect(r.status, JSON.stringify(r.body)).toBe(expected.status);
  expect(r.body.error.code).toMatch(expected.code);
  expect(r.body.error.message).toMatch(expected.message);
  expect(r.body.error.message).toContain(HOST); // names the phone
  const config = await call(configRoute.GET, "GET", `/devices/${deviceId}/config`, { token: f.admin, params: { id: deviceId } });
  expect(config.status).toBe(200);
  expect(config.body.state).toBe("never_read");
  expect(config.body.deviceRevision).toBeNull();
  return r;
}

const validConfig = (values: Record<string, unknown>) => JSON.stringify({ revision: 7, values });

describe("a hostile phone cannot hurt the portal", () => {
  it("a 50 MB reply (declared length) is cut off after about 1 MiB: malformed_reply, nothing stored", async () => {
    mode = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * MB) });
      flood(res, 50 * MB, Buffer.alloc(64 * 1024, 0x20));
    };
    await readFails({ status: 502, code: "malformed_reply", message: /larger than 1 MiB/ });
    // The portal stopped reading: what the phone managed to push is the cap plus socket buffers, not 50 MB.
    expect(written).toBeLessThan(16 * MB);
  });

  it("a 50 MB chunked reply (no length) is cut off the same way", async () => {
    mode = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      flood(res, 50 * MB, Buffer.alloc(64 * 1024, 0x5b));
    };
    await readFails({ status: 502, code: "malformed_reply", message: /larger than 1 MiB/ });
    expect(written).toBeLessThan(16 * MB);
  });

  it("a drip (one byte at a time, forever) hits the deadline: timeout, and other requests are served meanwhile", async () => {
    const timers = new Set<NodeJS.Timeout>();
    mode = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(" ")), 50);
      timers.add(t);
    };
    const order: string[] = [];
    const hostile = readFails({ status: 504, code: "timeout", message: /did not answer within 1\.5 s/ }).then(() => order.push("hostile read"));
    const other = call(devicesRoute.GET, "GET", "/devices", { token: f.viewer }).then((r) => {
      expect(r.status).toBe(200);
      order.push("device list");
    });
    await Promise.all([hostile, other]);
    expect(order).toEqual(["device list", "hostile read"]);
    for (const t of timers) clearInterval(t);
  });

  it("headers that never come hit the deadline too", async () => {
    mode = () => undefined; // accepts the request, never answers
    await readFails({ status: 504, code: "timeout", message: /did not answer/ });
  });

  it("100k keys: only catalog keys are taken, unknown ones are never stored", async () => {
    const values: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) values[i.toString(36)] = 0;
    const body = validConfig(values);
    expect(body.length).toBeLessThan(MB); // under the cap: this is the parse-and-store path, not the size limit
    mode = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", etag: '"7"' });
      res.end(body);
    };
    const r = await call(syncRoute.POST, "POST", `/devices/${deviceId}/sync`, { token: f.admin, params: { id: deviceId } });
    // The read succeeds (the reply is well-formed), but only catalog keys are taken: none of the 100k is stored as
    // config or snapshot, and the portal keeps its own defaults for the keys the phone did not send.
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
    const config = await call(configRoute.GET, "GET", `/devices/${deviceId}/config`, { token: f.admin, params: { id: deviceId } });
    expect(Object.keys(config.body.values).some((k) => /^[0-9a-z]{1,4}$/.test(k))).toBe(false);
    const revs = await call(revisionsRoute.GET, "GET", `/devices/${deviceId}/revisions`, { token: f.admin, params: { id: deviceId } });
    const rev = await call(revisionRoute.GET, "GET", `/devices/${deviceId}/revisions/${revs.body[0].id}`, { token: f.admin, params: { id: deviceId, rid: String(revs.body[0].id) } });
    expect(rev.status).toBe(200);
    expect(Object.keys(rev.body.values)).toEqual([]);
  });

  it("a redirect is not followed: the phone's answer is an error, the other host is never asked", async () => {
    deviceId = secondId; // the previous case may have read the first phone
    const target = `http://127.68.2.2:${(elsewhere.address() as AddressInfo).port}/api/v1/config`;
    mode = (_req, res) => {
      res.writeHead(302, { location: target });
      res.end();
    };
    redirectHits = 0;
    await readFails({ status: 502, code: "device_error", message: /HTTP 302/ });
    expect(redirectHits).toBe(0);
  });

  it("a reply cut in the middle (connection closed early) is an error, never half a config", async () => {
    mode = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      res.write(validConfig({ "voip/signalling/sip/proxy_address": "pbx.example.com" }).slice(0, 40));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await readFails({ status: 502, code: /^(unreachable|malformed_reply)$/, message: /./ });
  });

  it("garbage (not JSON, binary, wrong shape) is malformed_reply naming what was wrong", async () => {
    for (const [body, what] of [
      ["<html>hello</html>", /not JSON/],
      ["\u0000\u0001\u0002garbage", /not JSON/],
      [JSON.stringify({ revision: "seven", values: {} }), /revision/],
      [JSON.stringify({ revision: 1, values: { a: { nested: true } } }), /values/],
      [JSON.stringify([1, 2, 3]), /body|revision/],
    ] as const) {
      mode = (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(body);
      };
      await readFails({ status: 502, code: "malformed_reply", message: what });
    }
  });
});
