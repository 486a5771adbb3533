// The control surface: fault injection seen through the device API, add/remove, reboot, direct config changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { basic, call, controlUrl, deviceUrl, eventually, startTestFleet } from "./support";

let fleet: Emulator;
beforeAll(async () => {
  fleet = await startTestFleet({ devices: 2, sip: false, rebootMs: 300 });
});
afterAll(async () => {
  await fleet?.stop();
});

const fault = (index: number, body: object) =>
  call(controlUrl(`/devices/127.41.1.${index + 1}/fault`), { method: "POST", body, auth: false });

const errorCode = async (url: string) => {
  try {
    await call(url);
    return "answered";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

describe("control surface", () => {
  it("reports health and lists the phones", async () => {
    const health = (await call(controlUrl("/health"), { auth: false })).json();
    expect(health).toMatchObject({ ok: true, devices: 2, listening: 2 });
    const list = (await call(controlUrl("/devices"), { auth: false })).json<{ address: string }[]>();
    expect(list.map((d) => d.address)).toEqual(["127.41.1.1:8080", "127.41.1.2:8080"]);
  });

  it("offline closes the phone's HTTP server (ECONNREFUSED) until the fault is cleared", async () => {
    expect((await fault(0, { mode: "offline" })).status).toBe(200);
    expect(await errorCode(deviceUrl(0, "/device"))).toBe("ECONNREFUSED");
    expect((await call(deviceUrl(1, "/device"))).status).toBe(200); // the neighbour is untouched
    await fault(0, { mode: "none" });
    expect((await call(deviceUrl(0, "/device"))).status).toBe(200);
  });

  it("slow delays every answer by delayMs", async () => {
    await fault(0, { mode: "slow", delayMs: 700 });
    const started = Date.now();
    const res = await call(deviceUrl(0, "/device"));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    await fault(0, { mode: "none" });
  });

  it("http500, garbage and reject-auth change the answers; none restores them", async () => {
    await fault(0, { mode: "http500" });
    expect((await call(deviceUrl(0, "/config"))).status).toBe(500);

    await fault(0, { mode: "garbage" });
    const garbage = await call(deviceUrl(0, "/config"));
    expect(garbage.status).toBe(200);
    expect(() => JSON.parse(garbage.text)).toThrow();

    await fault(0, { mode: "reject-auth" });
    const rejected = await call(deviceUrl(0, "/config"), { auth: basic() });
    expect(rejected.status).toBe(401);
    expect(rejected.headers["www-authenticate"]).toBeDefined();

    await fault(0, { mode: "none" });
    expect((await call(deviceUrl(0, "/config"))).json()).toHaveProperty("revision");
  });

  it("rejects an unknown fault mode and an unknown phone", async () => {
    expect((await fault(0, { mode: "melt" })).status).toBe(400);
    expect((await call(controlUrl("/devices/127.41.9.9/fault"), { method: "POST", body: { mode: "none" }, auth: false })).status).toBe(404);
  });

  it("sets config directly (a local change on the phone) with a new revision, validated", async () => {
    const before = (await call(deviceUrl(1, "/config"))).json<{ revision: number }>();
    const res = await call(controlUrl("/devices/127.41.1.2/config"), {
      method: "POST",
      body: { values: { "voip/dial_timeout": 12 } },
      auth: false,
    });
    expect(res.status).toBe(200);
    const after = (await call(deviceUrl(1, "/config"))).json<{ revision: number; values: Record<string, unknown> }>();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.values["voip/dial_timeout"]).toBe(12);
    const invalid = await call(controlUrl("/devices/127.41.1.2/config"), {
      method: "POST",
      body: { values: { "voip/dial_timeout": 0 } },
      auth: false,
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json().errors).toEqual({ "voip/dial_timeout": "must be 1..60" });
  });

  it("reboot takes the phone away and brings it back with uptime reset", async () => {
    await new Promise((r) => setTimeout(r, 1100)); // let uptime reach at least 1 s
    expect((await call(deviceUrl(1, "/device"))).json().uptimeS).toBeGreaterThanOrEqual(1);
    expect((await call(controlUrl("/devices/127.41.1.2/reboot"), { method: "POST", auth: false })).status).toBe(202);
    expect(await errorCode(deviceUrl(1, "/device"))).toBe("ECONNREFUSED");
    const back = await eventually(
      () => call(deviceUrl(1, "/device")).catch(() => null),
      (res) => res?.status === 200,
    );
    expect(back!.json().uptimeS).toBe(0);
  });

  it("partitions a phone from one proxy role", async () => {
    const res = await call(controlUrl("/devices/127.41.1.1/partition"), {
      method: "POST",
      body: { role: "primary", cut: true },
      auth: false,
    });
    expect(res.status).toBe(200);
    const bad = await call(controlUrl("/devices/127.41.1.1/partition"), { method: "POST", body: { role: "x", cut: true }, auth: false });
    expect(bad.status).toBe(400);
  });

  it("adds and removes phones", async () => {
    const added = await call(controlUrl("/devices"), { method: "POST", body: {}, auth: false });
    expect(added.status).toBe(201);
    expect(added.json()).toMatchObject({ address: "127.41.1.3:8080", sipUser: "1003" });
    expect((await call(deviceUrl(2, "/device"))).status).toBe(200);
    expect((await call(controlUrl("/devices/127.41.1.3"), { method: "DELETE", auth: false })).status).toBe(204);
    expect(await errorCode(deviceUrl(2, "/device"))).toBe("ECONNREFUSED");
    expect(fleet.devices).toHaveLength(2);
  });

  it("answers 404 for proxy controls when no demo registrars run", async () => {
    const res = await call(controlUrl("/proxies/primary/stop"), { method: "POST", auth: false });
    expect(res.status).toBe(404);
  });
});
