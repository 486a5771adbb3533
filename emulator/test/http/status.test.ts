// GET /status with the real SIP user agent: ETag/304 and long-poll. Phone 1 has no registrar configured, so its
// status stays put until the test changes its config.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { call, deviceUrl, startTestFleet } from "./support";

let fleet: Emulator;
beforeAll(async () => {
  fleet = await startTestFleet({ devices: 1, t1: 100 });
});
afterAll(async () => {
  await fleet?.stop();
});

const status = (query = "", headers: Record<string, string> = {}) => call(deviceUrl(0, `/status${query}`), { headers });

describe("GET /status", () => {
  it("reports an unconfigured phone as unregistered, with ISO times and both keep-alive entries", async () => {
    const res = await status();
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ state: "unregistered", proxy: null, lastError: expect.stringMatching(/registrar/i) });
    expect(new Date(body.since as string).toISOString()).toBe(body.since);
    expect(body.keepAlive).toHaveProperty("primary");
    expect(body.keepAlive).toHaveProperty("redundant");
    expect(Array.isArray(body.transitions)).toBe(true);
  });

  it("answers 304 to If-None-Match with the current ETag, 200 to an old one", async () => {
    const first = await status();
    const etag = String(first.headers.etag);
    expect((await status("", { "if-none-match": etag })).status).toBe(304);
    const other = await status("", { "if-none-match": '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.headers.etag).toBe(etag);
  });

  it("holds a long-poll for N seconds when nothing changes, then answers 304", async () => {
    const etag = String((await status()).headers.etag);
    const started = Date.now();
    const res = await status("?wait=1", { "if-none-match": etag });
    expect(res.status).toBe(304);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("ends a long-poll as soon as the status changes (here: a registrar is configured)", async () => {
    const etag = String((await status()).headers.etag);
    const started = Date.now();
    const poll = status("?wait=30", { "if-none-match": etag });
    await new Promise((r) => setTimeout(r, 300));
    const patch = await call(deviceUrl(0, "/config"), {
      method: "PATCH",
      body: {
        values: {
          "voip/signalling/sip/use_proxy": 1,
          "voip/signalling/sip/proxy_address": "127.41.0.2",
          "voip/signalling/sip/proxy_port": 5060,
        },
      },
    });
    expect(patch.status).toBe(200);
    const res = await poll;
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(etag);
    expect(res.json().registrar).toBe("127.41.0.2:5060");
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("rejects a wait beyond 60 s", async () => {
    expect((await status("?wait=61")).status).toBe(400);
    expect((await status("?wait=abc")).status).toBe(400);
  });
});
