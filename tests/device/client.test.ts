// lib/device against the project's device emulator over real HTTP: happy paths, the conditional-write
// contract, long-poll, and every injected fault → its classified DeviceError code.
// Address range: phones on 127.42.1.x:8080, control surface on 127.42.0.1:8080.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { startFleet, type Emulator, type FaultMode } from "../../emulator/src/fleet/index";
import { createSipPhone } from "../../emulator/src/sip/phone";
import { basicAuth, closeDeviceClients, createDeviceClient, DeviceError, type DeviceAuth, type DeviceClient } from "@/lib/device";

const USER = "admin";
const PASS = "s3cret-42";
const CONTROL = "127.42.0.1:8080";
// Phone 1: config calls; phone 2: faults; phone 3: status/long-poll.
const CONFIG_IP = "127.42.1.1";
const FAULT_IP = "127.42.1.2";
const STATUS_IP = "127.42.1.3";

const PORT_KEY = "voip/signalling/sip/proxy_port";
const ADDR_KEY = "voip/signalling/sip/proxy_address";
const USE_PROXY_KEY = "voip/signalling/sip/use_proxy";
const PASS_KEY = "voip/line/0/auth_password";

let fleet: Emulator;
const client = (ip: string, options: { password?: string; timeoutMs?: number } = {}): DeviceClient =>
  createDeviceClient({ address: `${ip}:8080`, auth: basicAuth(USER, options.password ?? PASS), timeoutMs: options.timeoutMs });
const phone = (ip: string) => {
  const device = fleet.get(ip);
  if (!device) throw new Error(`no emulated phone on ${ip}`);
  return device;
};

async function setFault(ip: string, mode: FaultMode, delayMs?: number): Promise<void> {
  const res = await request(`http://${CONTROL}/devices/${ip}/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode, delayMs }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`control surface refused fault ${mode}: ${res.statusCode} ${text}`);
}

/** The error a call fails with; fails the test if the call succeeds. */
async function failure(call: Promise<unknown>): Promise<DeviceError> {
  const outcome = await call.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a DeviceError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(DeviceError);
  return outcome.error as DeviceError;
}

beforeAll(async () => {
  fleet = await startFleet({
    devices: 3,
    firstIp: CONFIG_IP,
    httpPort: 8080,
    username: USER,
    password: PASS,
    sipPassword: "sip-secret",
    // The real SIP user agent: the long-poll test needs a status that changes when the config does.
    createPhone: createSipPhone,
    controlHost: "127.42.0.1",
    controlPort: 8080,
  });
});
afterAll(async () => {
  await closeDeviceClients();
  await fleet?.stop();
});

describe("reading a phone", () => {
  it("info() answers model, firmware, serial and MAC of that phone", async () => {
    const info = await client(CONFIG_IP).info();
    expect(info).toMatchObject({ model: "Spider MT505", serial: phone(CONFIG_IP).identity.serial, mac: phone(CONFIG_IP).identity.mac });
    expect(info.firmware).not.toBe("");
  });

  it("getConfig() answers values, the revision and its ETag; secrets stay masked", async () => {
    const config = await client(CONFIG_IP).getConfig();
    expect(config.revision).toBe(phone(CONFIG_IP).revision);
    expect(config.etag).toBe(`"${config.revision}"`);
    expect(config.values["voip/line/0/id"]).toBe(phone(CONFIG_IP).identity.sipUser);
    expect(config.values[PASS_KEY]).toBe("********");
    expect(JSON.stringify(config)).not.toContain("sip-secret");
  });
});

describe("writing a phone's config", () => {
  it("patchConfig with the current ETag applies the values and bumps the revision", async () => {
    const device = client(CONFIG_IP);
    const before = await device.getConfig();
    const after = await device.patchConfig({ [PORT_KEY]: 5072, [ADDR_KEY]: "pbx.example.net" }, { ifMatch: before.etag });
    expect(after.revision).toBe(before.revision + 1);
    expect(after.values).toMatchObject({ [PORT_KEY]: 5072, [ADDR_KEY]: "pbx.example.net" });
    // Independent check: the emulated phone's own state.
    expect(phone(CONFIG_IP).revision).toBe(after.revision);
    expect(phone(CONFIG_IP).rawValues()).toMatchObject({ [PORT_KEY]: 5072, [ADDR_KEY]: "pbx.example.net" });
  });

  it("a stale If-Match fails as a retryable conflict carrying the device's revision; nothing changes", async () => {
    const device = client(CONFIG_IP);
    const before = await device.getConfig();
    const error = await failure(device.patchConfig({ [PORT_KEY]: 5090 }, { ifMatch: before.revision - 1 }));
    expect(error).toMatchObject({ code: "conflict", status: 412, revision: before.revision, retryable: true });
    expect(error.message).toContain(`revision ${before.revision}`);
    expect(phone(CONFIG_IP).revision).toBe(before.revision);
    expect(phone(CONFIG_IP).rawValues()[PORT_KEY]).toBe(before.values[PORT_KEY]);
  });

  it("invalid values fail as rejected with the device's message per key, and nothing is applied", async () => {
    const device = client(CONFIG_IP);
    const before = await device.getConfig();
    const raw = phone(CONFIG_IP).rawValues();
    const error = await failure(
      // use_proxy=1 makes the proxy port checked; it and the valid address must not be applied either.
      device.patchConfig(
        { [USE_PROXY_KEY]: 1, [ADDR_KEY]: "valid.example.net", [PORT_KEY]: 70000, "voip/no/such/key": 1 },
        { ifMatch: before.etag },
      ),
    );
    expect(error).toMatchObject({ code: "rejected", status: 422, retryable: false });
    expect(Object.keys(error.fields ?? {}).sort()).toEqual([PORT_KEY, "voip/no/such/key"].sort());
    expect(error.fields?.[PORT_KEY]).not.toBe("");
    expect(error.message).toContain(PORT_KEY);
    expect(phone(CONFIG_IP).revision).toBe(before.revision);
    expect(phone(CONFIG_IP).rawValues()).toEqual(raw);
  });

  it("config.cfg round-trips: the backup restored with its ETag changes nothing", async () => {
    const device = client(CONFIG_IP);
    const backup = await device.getConfigCfg();
    expect(backup.text).toMatch(new RegExp(`^${PORT_KEY}=5072$`, "m"));
    const revision = phone(CONFIG_IP).revision;
    expect(backup.etag).toBe(`"${revision}"`);
    const restored = await device.putConfigCfg(backup.text, { ifMatch: backup.etag ?? revision });
    expect(restored.revision).toBe(revision);
    expect(phone(CONFIG_IP).rawValues()[PASS_KEY]).toBe("sip-secret");
  });
});

describe("status", () => {
  it("answers the registration status with an ETag; the same ETag gives notModified, also after a short wait", async () => {
    const device = client(STATUS_IP);
    const first = await device.getStatus();
    if (first.notModified) throw new Error("a status read without an ETag cannot be 'not modified'");
    expect(first.etag).toMatch(/^".+"$/);
    expect(first.status.state).toBe(phone(STATUS_IP).status().state);
    // The emulated phone holds long-polls and says so (Status-Wait-Max): waitMaxS.
    expect(first.waitMaxS).toBe(60);
    expect(await device.getStatus({ etag: first.etag ?? "" })).toEqual({ notModified: true, etag: first.etag, waitMaxS: 60 });
    expect(await device.getStatus({ etag: first.etag ?? "", waitS: 1 })).toEqual({ notModified: true, etag: first.etag, waitMaxS: 60 });
  });

  it("a long-poll returns the new status when a config change makes the phone start registering", async () => {
    const device = client(STATUS_IP);
    const before = await device.getStatus();
    if (before.notModified || before.etag === null) throw new Error("expected a status with an ETag");
    expect(before.status.registrar).toBeNull();
    const poll = device.getStatus({ etag: before.etag, waitS: 30 });
    // Nobody answers SIP on 127.42.0.9: the phone goes registering/failed, either way its status changes.
    const config = await device.getConfig();
    await device.patchConfig({ [USE_PROXY_KEY]: 1, [ADDR_KEY]: "127.42.0.9", [PORT_KEY]: 5060 }, { ifMatch: config.etag });
    const changed = await poll;
    if (changed.notModified) throw new Error("the long-poll ended without a change");
    expect(changed.etag).not.toBe(before.etag);
    expect(changed.status.registrar).toBe("127.42.0.9:5060");
  });
});

describe("the auth seam (a challenge-driven scheme like Digest)", () => {
  /** Sends nothing until challenged, then Basic; counts challenges. */
  const challenged = (password: string) => {
    const seen: string[] = [];
    let header: string | undefined;
    const auth: DeviceAuth = {
      scheme: "test",
      authorize: () => header,
      onChallenge(challenge) {
        seen.push(challenge ?? "");
        header = basicAuth(USER, password).authorize({ method: "GET", path: "/" });
        return true;
      },
    };
    return { auth, seen };
  };

  it("answers the 401 challenge and retries once; later calls reuse what it learned", async () => {
    const { auth, seen } = challenged(PASS);
    const device = createDeviceClient({ address: `${CONFIG_IP}:8080`, auth });
    expect((await device.info()).serial).toBe(phone(CONFIG_IP).identity.serial);
    await device.info();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Basic realm=/);
  });

  it("retries only once: refused credentials end as unauthorized", async () => {
    const { auth, seen } = challenged("wrong");
    const error = await failure(createDeviceClient({ address: `${CONFIG_IP}:8080`, auth }).info());
    expect(error.code).toBe("unauthorized");
    expect(seen).toHaveLength(1);
  });
});

describe("faults are classified", () => {
  afterEach(async () => {
    await setFault(FAULT_IP, "none");
  });

  it("an offline phone → unreachable (retryable)", async () => {
    await setFault(FAULT_IP, "offline");
    const error = await failure(client(FAULT_IP).getConfig());
    expect(error).toMatchObject({ code: "unreachable", retryable: true, status: undefined });
    expect(error.message).toBe(`Device ${FAULT_IP}:8080 is unreachable (connection refused)`);
  });

  it("a phone slower than the timeout → timeout (retryable)", async () => {
    await setFault(FAULT_IP, "slow", 3_000);
    const error = await failure(client(FAULT_IP, { timeoutMs: 500 }).info());
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect(error.message).toBe(`Device ${FAULT_IP}:8080 did not answer within 500 ms`);
  });

  it("HTTP 500 → device_error (retryable) with the status", async () => {
    await setFault(FAULT_IP, "http500");
    const error = await failure(client(FAULT_IP).getConfig());
    expect(error).toMatchObject({ code: "device_error", status: 500, retryable: true });
    expect(error.message).toContain("HTTP 500");
  });

  it("garbage instead of JSON → malformed_reply (not retryable)", async () => {
    await setFault(FAULT_IP, "garbage");
    const error = await failure(client(FAULT_IP).getConfig());
    expect(error).toMatchObject({ code: "malformed_reply", retryable: false, status: 200 });
  });

  it("reject-auth and a wrong password → unauthorized (not retryable)", async () => {
    const wrong = await failure(client(FAULT_IP, { password: "wrong" }).info());
    expect(wrong).toMatchObject({ code: "unauthorized", status: 401, retryable: false });
    expect(wrong.message).toContain("username and password");
    await setFault(FAULT_IP, "reject-auth");
    expect(await failure(client(FAULT_IP).info())).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("after the fault clears, the same phone answers again", async () => {
    await setFault(FAULT_IP, "offline");
    await failure(client(FAULT_IP).info());
    await setFault(FAULT_IP, "none");
    expect((await client(FAULT_IP).info()).serial).toBe(phone(FAULT_IP).identity.serial);
  });
});
