// Issue 10 on the emulator: configRevision in /status, RFC 9110 If-Match, and the control surface's
// per-phone request counts, stored config and fetch log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { ownRange } from "../support/own-range";
import { call, startTestFleet } from "./support";

const R = ownRange(1);
const api = (path: string, i = 0) => R.device(i, `/api/v1${path}`);
const KEY = "voip/dial_timeout";

let fleet: Emulator;
beforeAll(async () => {
  fleet = await startTestFleet({ sip: false, firstIp: R.firstIp, controlHost: R.controlHost, controlPort: R.controlPort, sipPassword: "pw1" });
});
afterAll(async () => {
  await fleet?.stop();
});

type Config = { revision: number; values: Record<string, string | number> };

describe("GET /status carries configRevision", () => {
  it("equals the config's revision and follows a local change, changing the status ETag", async () => {
    const first = await call(api("/status"));
    const config = (await call(api("/config"))).json<Config>();
    expect(first.json().configRevision).toBe(config.revision);
    await call(R.control(`/devices/${fleet.devices[0].ip}/config`), { method: "POST", body: { values: { [KEY]: 11 } }, auth: false });
    const second = await call(api("/status"));
    expect(second.json().configRevision).toBe(config.revision + 1);
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  it("a long-poll returns when the config changes", async () => {
    const now = await call(api("/status"));
    const waiting = call(api("/status?wait=30"), { headers: { "if-none-match": String(now.headers.etag) } });
    await call(R.control(`/devices/${fleet.devices[0].ip}/config`), { method: "POST", body: { values: { [KEY]: 12 } }, auth: false });
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.json().configRevision).toBe(now.json<{ configRevision: number }>().configRevision + 1);
  });
});

describe("If-Match (RFC 9110 §13.1.1)", () => {
  const patch = (ifMatch: string, value: number) =>
    call(api("/config"), { method: "PATCH", headers: { "if-match": ifMatch }, body: { values: { [KEY]: value } } });

  it("any well-formed tag that does not match is 412 with the current revision; nothing applied", async () => {
    const before = (await call(api("/config"))).json<Config>();
    for (const tag of ['"stale-revision-0"', `"${before.revision + 5}"`, `W/"${before.revision}"`, `"x", "${before.revision - 1}"`]) {
      const res = await patch(tag, 3);
      expect(res.status, tag).toBe(412);
      expect(res.json()).toEqual({ error: "stale revision", revision: before.revision });
      expect(res.headers.etag).toBe(`"${before.revision}"`);
    }
    expect((await call(api("/config"))).json<Config>()).toEqual(before);
  });

  it("a list containing the current tag matches; * is unconditional", async () => {
    const before = (await call(api("/config"))).json<Config>();
    const res = await patch(`"other", "${before.revision}"`, 4);
    expect(res.status).toBe(200);
    expect(res.json<Config>().revision).toBe(before.revision + 1);
    expect((await patch("*", 5)).status).toBe(200);
  });

  it("only a malformed header is 400, for PATCH and PUT config.cfg", async () => {
    for (const bad of ["12", "stale", '"unterminated', 'W/12', '"a" "b"']) {
      expect((await patch(bad, 6)).status, bad).toBe(400);
      const put = await call(api("/config.cfg"), { method: "PUT", headers: { "if-match": bad }, body: `${KEY}=6\n` });
      expect(put.status, bad).toBe(400);
    }
    const put = await call(api("/config.cfg"), { method: "PUT", headers: { "if-match": '"nope"' }, body: `${KEY}=6\n` });
    expect(put.status).toBe(412);
  });
});

describe("control surface", () => {
  it("GET /devices/<ip> counts the requests the phone served, per kind", async () => {
    const ip = fleet.devices[1].ip;
    const before = (await call(R.control(`/devices/${ip}`), { auth: false })).json<{ requests: Record<string, number> }>().requests;
    await call(api("/status", 1));
    await call(api("/status", 1));
    await call(api("/config", 1));
    await call(api("/device", 1));
    await call(api("/config.cfg", 1));
    await call(api("/config", 1), { method: "PATCH", body: { values: {} } });
    await call(api("/nowhere", 1));
    await call(api("/status", 1), { auth: false }); // a refused request was still served (401)
    const after = (await call(R.control(`/devices/${ip}`), { auth: false })).json<{ requests: Record<string, number> }>().requests;
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    expect(delta).toEqual({ status: 3, config: 1, patch: 1, info: 1, cfg: 1, restore: 0, web: 0, other: 1 });
  });

  it("GET /devices/<ip>/config answers the stored config (secrets in clear) and revision", async () => {
    const ip = fleet.devices[1].ip;
    const stored = (await call(R.control(`/devices/${ip}/config`), { auth: false })).json<Config>();
    const served = (await call(api("/config", 1))).json<Config>();
    expect(stored.revision).toBe(served.revision);
    expect(stored.values["voip/line/0/auth_password"]).toBe("pw1");
    expect(stored.values).not.toHaveProperty("voip/signalling/sip/redundant/is_redundant_proxy");
    expect(stored.values[KEY]).toBe(served.values[KEY]);
  });

  it("GET /devices/<ip>/fetches is an empty list for a phone without provisioning; unknown phone → 404", async () => {
    const fetches = await call(R.control(`/devices/${fleet.devices[0].ip}/fetches`), { auth: false });
    expect(fetches.status).toBe(200);
    expect(fetches.json()).toEqual([]);
    expect((await call(R.control("/devices/127.62.1.99/config"), { auth: false })).status).toBe(404);
  });
});

