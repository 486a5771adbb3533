// The device dispatcher (lib/device/dispatcher.ts): a phone's Clients outlive their sockets, at most
// DEVICE_CONNECTIONS sockets per phone however many requests are in flight, idle phones swept.
// A plain HTTP server on this suite's own loopback address (127.67.200.1) stands in for a phone.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { createDeviceDispatcher, DEVICE_CONNECTIONS } from "@/lib/device";

let server: http.Server;
let origin: string;
const sockets = new Set<string>();
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.end("ok");
    }, 20);
  });
  server.keepAliveTimeout = 1_000; // a phone closing idle sockets quickly (it says so: Keep-Alive: timeout=1)
  await new Promise<void>((r) => server.listen(0, "127.67.200.1", r));
  origin = `http://127.67.200.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// undici keeps a socket only while the server's Keep-Alive hint minus this threshold (default 2 s) is left.
const REUSE = { keepAliveTimeoutThreshold: 100 };
const get = async (d: ReturnType<typeof createDeviceDispatcher>) => (await request(`${origin}/x`, { dispatcher: d })).body.text();

describe("device dispatcher", () => {
  it("holds at most DEVICE_CONNECTIONS sockets per phone under 20 concurrent requests, all answered", async () => {
    const d = createDeviceDispatcher(REUSE);
    sockets.clear();
    maxInFlight = 0;
    expect(await Promise.all(Array.from({ length: 20 }, () => get(d)))).toEqual(Array(20).fill("ok"));
    expect(sockets.size).toBe(DEVICE_CONNECTIONS);
    expect(maxInFlight).toBe(DEVICE_CONNECTIONS);
    await d.close();
  });

  it("keeps the phone's entry when the phone closes the idle socket, and reconnects on the next request", async () => {
    const d = createDeviceDispatcher(REUSE);
    expect(await get(d)).toBe("ok");
    expect(d.size).toBe(1);
    await new Promise((r) => setTimeout(r, 1_300)); // the server closed the idle socket
    sockets.clear();
    expect(await get(d)).toBe("ok");
    expect(sockets.size).toBe(1); // a new socket…
    expect(d.size).toBe(1); // …on the same entry
    await d.close();
  });

  it("sweeps phones idle longer than idlePoolMs, not busy ones, and refuses work once closed", async () => {
    const d = createDeviceDispatcher({ ...REUSE, idlePoolMs: 1_000 });
    expect(await get(d)).toBe("ok");
    d.sweep(Date.now());
    expect(d.size).toBe(1);
    d.sweep(Date.now() + 1_001);
    expect(d.size).toBe(0);
    expect(await get(d)).toBe("ok"); // a swept phone is simply set up again
    expect(d.size).toBe(1);
    await d.close();
    await expect(get(d)).rejects.toThrow(/closed/);
  });
});
