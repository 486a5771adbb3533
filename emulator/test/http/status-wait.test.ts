// GET /status?wait=&since=: the long-poll keyed by a token in the query, and its capability header. One fleet with
// the long-poll, one started as older firmware without it (--no-status-wait). Phones without SIP: their status
// changes only when the test changes their config (configRevision is part of the status).
// Loopback: phones 127.66.5.1 (long-poll) and 127.66.5.2 (none), port 8080.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFleet, type Emulator } from "../../src/fleet/index";
import { request } from "undici";
import { basic, call, eventually } from "./support";

const WITH = "127.66.5.1";
const WITHOUT = "127.66.5.2";
const auth = { username: "admin", password: "s3cret" };
let fleets: Emulator[] = [];

beforeAll(async () => {
  fleets = [
    await startFleet({ devices: 1, firstIp: WITH, httpPort: 8080, sip: false, ...auth }),
    await startFleet({ devices: 1, firstIp: WITHOUT, httpPort: 8080, sip: false, statusWait: false, ...auth }),
  ];
});
afterAll(async () => {
  await Promise.all(fleets.map((f) => f.stop()));
});

const status = (ip: string, query = "", headers: Record<string, string> = {}) => call(`http://${ip}:8080/api/v1/status${query}`, { headers });
const change = (ip: string, port: number) => call(`http://${ip}:8080/api/v1/config`, { method: "PATCH", body: { values: { "voip/signalling/sip/proxy_port": port } } });

describe("GET /status?wait=&since=", () => {
  it("advertises the long-poll on 200 and 304 answers", async () => {
    const first = await status(WITH);
    expect(first.headers["status-wait-max"]).toBe("60");
    const again = await status(WITH, "", { "if-none-match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.headers["status-wait-max"]).toBe("60");
  });

  it("holds a long-poll keyed by since= until the status changes, then answers 200 with the new ETag", async () => {
    const etag = String((await status(WITH)).headers.etag);
    let settled = false;
    const poll = status(WITH, `?wait=30&since=${encodeURIComponent(etag.replaceAll('"', ""))}`).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled, "the long-poll is still held before the change").toBe(false);
    expect((await change(WITH, 5071)).status).toBe(200);
    const res = await poll;
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(etag);
    expect(res.json().configRevision).toBeGreaterThan(0);
  });

  it("answers at once when the status already changed since the token (quoted or not), and 304 when it did not", async () => {
    const old = String((await status(WITH)).headers.etag);
    expect((await change(WITH, 5072)).status).toBe(200);
    // wait=60 would outlast the test's timeout if the phone held it.
    const stale = await status(WITH, `?wait=60&since=${encodeURIComponent(old)}`);
    expect(stale.status).toBe(200);
    const current = String(stale.headers.etag);
    expect(current).not.toBe(old);
    expect((await status(WITH, `?since=${current.replaceAll('"', "")}`)).status).toBe(304);
  });

  it("counts the long-polls it holds, and a client that hangs up releases its own", async () => {
    const phone = fleets[0].get(WITH)!;
    const etag = String((await status(WITH)).headers.etag);
    const ctrl = new AbortController();
    const held = request(`http://${WITH}:8080/api/v1/status?wait=60`, { headers: { authorization: basic(), "if-none-match": etag }, signal: ctrl.signal }).catch((e: Error) => e);
    await eventually(async () => phone.statusWaiters, (n) => n === 1);
    ctrl.abort();
    expect(await held).toBeInstanceOf(Error);
    await eventually(async () => phone.statusWaiters, (n) => n === 0);
  });

  it("rejects a since that is not an ETag", async () => {
    const res = await status(WITH, `?wait=1&since=${encodeURIComponent("x y")}`);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatch(/since/);
  });

  it("a phone without the long-poll answers at once whatever wait says and does not advertise it", async () => {
    const first = await status(WITHOUT);
    expect(first.status).toBe(200);
    expect(first.headers["status-wait-max"]).toBeUndefined();
    const etag = String(first.headers.etag);
    const res = await status(WITHOUT, "?wait=60", { "if-none-match": etag });
    expect(res.status).toBe(304);
    expect(res.headers["status-wait-max"]).toBeUndefined();
  });
});
