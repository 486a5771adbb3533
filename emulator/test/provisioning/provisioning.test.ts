// Provisioning phones (audiocodes-hd): fetch <mac>.cfg with the URL's credentials at boot and on a SIP
// NOTIFY check-sync (digest-challenged when the line has a password), apply it atomically, record every fetch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/fleet/index";
import { SipEndpoint } from "../../src/sip/endpoint";
import { call, eventually, startTestFleet } from "../http/support";
import { sendCheckSync } from "../support/notify";
import { ownRange } from "../support/own-range";
import { startProvisioningServer, type ProvisioningServer } from "../support/provisioning-server";

const R = ownRange(3);
const PROV_HOST = "127.62.3.251";
const RED_PORT = "voip/signalling/sip/redundant_proxy/port";
const PASS = "voip/line/0/auth_password";

let fleet: Emulator;
let server: ProvisioningServer;
let sip: SipEndpoint;

type Fetch = { at: string; url: string; status: number | null; bytes: number; revision: number | null; error: string | null };
type Config = { revision: number; values: Record<string, string | number> };
const ctl = async <T>(path: string) => (await call(R.control(path), { auth: false })).json<T>();
const fetches = (i: number) => ctl<Fetch[]>(`/devices/${fleet.devices[i].ip}/fetches`);
const stored = (i: number) => ctl<Config>(`/devices/${fleet.devices[i].ip}/config`);
const macOf = (i: number) => fleet.devices[i].identity.mac.replace(/:/g, "");
const fileOf = (i: number) => `/prov/${macOf(i)}.cfg`;
const phone = (i: number) => ({ host: fleet.devices[i].ip, port: 5060, user: fleet.devices[i].identity.sipUser });

/** A complete config file for phone i in the 310HD tree. */
const file = (i: number, extra: Record<string, string | number>) =>
  [
    "# provisioning file",
    `voip/line/0/id=${fleet.devices[i].identity.sipUser}`,
    `voip/line/0/auth_name=${fleet.devices[i].identity.sipUser}`,
    "voip/signalling/sip/redundant_proxy/enabled=1",
    "voip/signalling/sip/redundant_proxy/address=127.62.3.200",
    ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
    "",
  ].join("\n");

beforeAll(async () => {
  server = await startProvisioningServer(PROV_HOST, 8081, "prov", "p@ss:word");
  sip = new SipEndpoint({ address: "127.62.3.240", port: 5070 });
  await sip.start();
  // Files exist before the phones boot: the MACs follow from the addresses.
  const mac = (n: number) => `00908f3e03${n.toString(16).padStart(2, "0")}`;
  server.files.set(`/prov/${mac(1)}.cfg`, "voip/signalling/sip/redundant_proxy/port=5071\nvoip/line/0/id=1001\n");
  server.files.set(`/prov/${mac(2)}.cfg`, `voip/signalling/sip/redundant_proxy/port=5072\nvoip/line/0/id=1002\nvoip/line/0/auth_name=1002\n${PASS}=sippw\n`);
  fleet = await startTestFleet({
    devices: 3,
    firstIp: R.firstIp,
    controlHost: R.controlHost,
    controlPort: R.controlPort,
    keyProfile: "audiocodes-hd",
    provisioningUrl: `http://prov:${encodeURIComponent("p@ss:word")}@${PROV_HOST}:8081/prov/`,
  });
});
afterAll(async () => {
  await fleet?.stop();
  await sip?.stop();
  await server?.close();
});

describe("provisioning at boot", () => {
  it("fetches <mac>.cfg with the URL's credentials (challenge → Basic) and applies it", async () => {
    const [first] = await eventually(() => fetches(0), (f) => f.length >= 1);
    expect(first).toMatchObject({ url: `http://prov@${PROV_HOST}:8081${fileOf(0)}`, status: 200, error: null, revision: 2 });
    expect(first.url).not.toContain("word");
    expect((await stored(0)).values[RED_PORT]).toBe(5071);
    const seen = server.requests.filter((r) => r.path === fileOf(0));
    expect(seen.map((r) => r.status)).toEqual([401, 200]);
    expect(seen[0].authorization).toBeUndefined();
    expect(seen[1].userAgent).toMatch(/AUDC-IPPhone/);
  });

  it("records a missing file (404) and changes nothing", async () => {
    const [first] = await eventually(() => fetches(2), (f) => f.length >= 1);
    expect(first).toMatchObject({ status: 404, revision: null, error: "HTTP 404" });
    expect((await stored(2)).revision).toBe(1);
  });

  it("a file replaces the whole config: keys it does not mention are factory values again", async () => {
    const values = (await stored(1)).values;
    expect(values[RED_PORT]).toBe(5072);
    expect(values[PASS]).toBe("sippw");
    expect(values["voip/signalling/sip/redundant_proxy/enabled"]).toBe(0);
  });
});

describe("check-sync NOTIFY", () => {
  it("answers 200 without a SIP password and fetches the new file at once", async () => {
    server.files.set(fileOf(0), file(0, { [RED_PORT]: 5080 }));
    const before = (await fetches(0)).length;
    expect((await sendCheckSync(sip, phone(0))).statuses).toEqual([200]);
    await eventually(() => fetches(0), (f) => f.length > before);
    const latest = (await fetches(0)).at(-1)!;
    expect(latest).toMatchObject({ status: 200, error: null });
    expect(await stored(0)).toMatchObject({ revision: latest.revision, values: { [RED_PORT]: 5080, "voip/signalling/sip/redundant_proxy/address": "127.62.3.200" } });
  });

  it("a file with a bad value changes nothing; the fetch is recorded with the error", async () => {
    const before = await stored(0);
    server.files.set(fileOf(0), file(0, { [RED_PORT]: 99999, "voip/dialing/timeout": 7 }));
    const count = (await fetches(0)).length;
    expect((await sendCheckSync(sip, phone(0))).statuses).toEqual([200]);
    const after = await eventually(() => fetches(0), (f) => f.length > count);
    expect(after.at(-1)).toMatchObject({ status: 200, revision: null, error: `${RED_PORT}: must be 1024..65535` });
    expect(await stored(0)).toEqual(before);
  });

  it("a syntax error in the file changes nothing either", async () => {
    const before = await stored(0);
    server.files.set(fileOf(0), "voip/dialing/timeout=7\nthis line has no equals sign\n");
    const count = (await fetches(0)).length;
    await sendCheckSync(sip, phone(0));
    const after = await eventually(() => fetches(0), (f) => f.length > count);
    expect(after.at(-1)!.error).toMatch(/^line 2: expected key=value/);
    expect(await stored(0)).toEqual(before);
  });

  it("with a SIP password: 401 digest challenge, a wrong password stays refused, the right one is accepted", async () => {
    server.files.set(fileOf(1), file(1, { [RED_PORT]: 5090, [PASS]: "sippw" }));
    const count = (await fetches(1)).length;
    expect((await sendCheckSync(sip, phone(1))).statuses).toEqual([401]);
    expect((await sendCheckSync(sip, phone(1), { username: "1002", password: "wrong" })).statuses).toEqual([401, 401]);
    expect((await fetches(1)).length).toBe(count);
    expect((await sendCheckSync(sip, phone(1), { username: "1002", password: "sippw" })).statuses).toEqual([401, 200]);
    await eventually(() => stored(1), (c) => c.values[RED_PORT] === 5090);
  });

  it("other events are refused with 489 and fetch nothing", async () => {
    const count = (await fetches(0)).length;
    expect((await sendCheckSync(sip, phone(0), { event: "presence" })).statuses).toEqual([489]);
    expect((await fetches(0)).length).toBe(count);
  });

  it("provisioning keys in a file are stored and steer the next fetch (STATIC + its URL)", async () => {
    const url = `http://prov:${encodeURIComponent("p@ss:word")}@${PROV_HOST}:8081/other/`;
    server.files.set(fileOf(0), file(0, { "provisioning/method": "STATIC", "provisioning/configuration/url": url }));
    server.files.set(`/other/${macOf(0)}.cfg`, file(0, { "voip/dialing/timeout": 9 }));
    await sendCheckSync(sip, phone(0));
    await eventually(() => stored(0), (c) => c.values["provisioning/method"] === "STATIC");
    await sendCheckSync(sip, phone(0));
    const latest = await eventually(() => fetches(0), (f) => f.at(-1)!.url.includes("/other/"));
    expect(latest.at(-1)).toMatchObject({ status: 200, error: null });
    // The file did not mention provisioning keys: they stay (the phone keeps pointing at its server).
    expect((await stored(0)).values).toMatchObject({ "voip/dialing/timeout": 9, "provisioning/method": "STATIC", "provisioning/configuration/url": url });
  });
});
