// GET /provisioning/<mac>.cfg through the real route handler and a real PGlite: authentication (Basic and Digest,
// shared and per-device), allowed networks, unknown MACs, the file's content in the model's tree and the fetch record.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildAuthorization, parseChallenge } from "../../emulator/src/sip/digest";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as config from "@/app/api/v1/devices/[id]/config/route";
import * as route from "@/app/provisioning/[file]/route";
import { renderProvisioningFile } from "@/lib/provisioning/render";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { firmwareOfUserAgent, listFetches, listUnknownPhones } from "@/lib/provisioning/store";
import { useApiFixture } from "../api/support";
import { useSocketForwarding } from "@/tests/support/route-server";

const f = useApiFixture();
useSocketForwarding(); // the X-Forwarded-For these requests carry is what server.mjs writes: the socket's address
const SHARED = { username: "phones", password: "shared-secret" };
const HD = "00908f640001";
const OWN = "00908f640002";
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

async function fetchFile(file: string, headers: Record<string, string> = {}, client = "127.64.3.1") {
  const req = new Request(`http://127.64.3.100:3103/provisioning/${file}`, { headers: { "x-forwarded-for": client, "user-agent": "AUDC-IPPhone/2.2", ...headers } });
  const res = await route.GET(req, { params: Promise.resolve({ file }) });
  return { status: res.status, text: await res.text(), res };
}

let hdId = "";
let ownId = "";
beforeAll(async () => {
  // No phone answers here: a push waits only briefly for a fetch (its outcome is not what this file tests).
  Object.assign(process.env, { PROVISIONING_FETCH_TIMEOUT_S: "1", SIP_BIND: "127.64.3.200" });
  process.env.PROVISIONING_USERNAME = SHARED.username;
  process.env.PROVISIONING_PASSWORD = SHARED.password;
  resetProvisioningSettings();
  const a = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "HD phone", address: "127.64.3.10:80", driver: "provisioning", model: "audiocodes-hd", mac: HD } });
  hdId = a.body.id;
  const b = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "Own creds", address: "127.64.3.11:80", driver: "provisioning", mac: OWN, provisioningUsername: "room7", provisioningPassword: "room7-secret" },
  });
  ownId = b.body.id;
});
afterEach(() => {
  delete process.env.PROVISIONING_ALLOW;
  resetProvisioningSettings();
  process.env.PROVISIONING_USERNAME = SHARED.username;
  process.env.PROVISIONING_PASSWORD = SHARED.password;
});

describe("provisioning server", () => {
  it("answers 401 with a Digest challenge without or with wrong credentials", async () => {
    const none = await fetchFile(`${HD}.cfg`);
    expect(none.status).toBe(401);
    const challenges = none.res.headers.get("www-authenticate") ?? "";
    expect(challenges).toMatch(/Digest realm="SIP Admin Portal provisioning"/);
    expect((await fetchFile(`${HD}.cfg`, { authorization: basic("phones", "nope") })).status).toBe(401);
    expect(await listFetches(hdId)).toEqual([]);
  });

  it("serves the whole config in the audiocodes-hd tree with Basic, and records the fetch", async () => {
    const patch = await call(config.PATCH, "PATCH", `/devices/${hdId}/config`, {
      token: f.admin,
      params: { id: hdId },
      body: { values: { "voip/signalling/sip/redundant/use_redundant_proxy": 1, "voip/signalling/sip/redundant/redundant_proxy_address": "192.0.2.77", "voip/signalling/sip/redundant/redundant_proxy_port": 5070 } },
    });
    expect(patch.status).toBeLessThan(600); // the push itself is the driver's business; the desired config is stored
    const r = await fetchFile(`${HD}.cfg`, { authorization: basic(SHARED.username, SHARED.password) });
    expect(r.status).toBe(200);
    const lines = r.text.split("\n");
    expect(lines).toContain("voip/signalling/sip/redundant_proxy/address=192.0.2.77");
    expect(lines).toContain("voip/signalling/sip/redundant_proxy/port=5070");
    expect(lines).toContain("voip/signalling/sip/transport_protocol=UDP");
    expect(lines).toContain("voip/media/media_tos=184");
    expect(lines).toContain("provisioning/method=STATIC");
    expect(lines).toContain("provisioning/configuration/url=http://phones:shared-secret@127.64.3.100:3103/provisioning/");
    expect(lines.some((l) => l.startsWith("voip/signalling/sip/stun/"))).toBe(false); // the model lacks STUN
    const [fetch] = await listFetches(hdId);
    expect(fetch).toMatchObject({ clientAddress: "127.64.3.1", userAgent: "AUDC-IPPhone/2.2", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fetch.revision).toBeGreaterThanOrEqual(0);
    // The phone's User-Agent names its firmware: the list shows it, read at the fetch's time.
    const listed = await call(list.GET, "GET", `/devices?q=${encodeURIComponent("")}`, { token: f.admin });
    const item = listed.body.items.find((d: { id: string }) => d.id === hdId);
    expect(item.firmware).toEqual({ version: "2.2", readAt: fetch.at });
  });

  it("takes a firmware only from a phone's User-Agent, never from a browser's or a tool's", () => {
    expect(firmwareOfUserAgent("AUDC-IPPhone/2.2.12.126 (430HD-Rev1; 00908F9D3C3C)")).toBe("2.2.12.126");
    expect(firmwareOfUserAgent("AUDC-IPPhone/3.4.6")).toBe("3.4.6");
    for (const ua of ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "", "AUDC-IPPhone/", "AUDC-IPPhone/1.0\r\nX: y", "xAUDC-IPPhone/1.0"]) expect(firmwareOfUserAgent(ua), ua).toBeNull();
  });

  // Under `next start` the route's req.url names the portal's listening host (localhost), not the address the phone
  // used; a file that pointed the phone there would cut it off after its first fetch.
  it("keeps the phone pointed where it asked (its Host header), never at the portal's own listening name", async () => {
    const auth = { authorization: basic(SHARED.username, SHARED.password) };
    const asked = await fetchFile(`${HD}.cfg`, { ...auth, host: "phones.example.net:8443" });
    expect(asked.status).toBe(200);
    expect(asked.text.split("\n")).toContain("provisioning/configuration/url=http://phones:shared-secret@phones.example.net:8443/provisioning/");
    // A Host header that is not host[:port] cannot put anything else into the file.
    const hostile = await fetchFile(`${HD}.cfg`, { ...auth, host: "evil.example/x?y=1" });
    expect(hostile.status).toBe(200);
    expect(hostile.text.split("\n")).toContain("provisioning/configuration/url=http://phones:shared-secret@127.64.3.100:3103/provisioning/");
  });

  it("accepts Digest (answered by an independent implementation), only for the file it was computed for", async () => {
    const first = await fetchFile(`${HD}.cfg`);
    const header = first.res.headers.get("www-authenticate") ?? "";
    const challenge = parseChallenge(header)!;
    const answer = (uri: string) => buildAuthorization(challenge, { username: SHARED.username, password: SHARED.password, method: "GET", uri, nc: 1 });
    expect((await fetchFile(`${HD}.cfg`, { authorization: answer(`/provisioning/${HD}.cfg`) })).status).toBe(200);
    expect((await fetchFile(`${OWN}.cfg`, { authorization: answer(`/provisioning/${HD}.cfg`) })).status).toBe(401);
    const wrong = buildAuthorization(challenge, { username: SHARED.username, password: "bad", method: "GET", uri: `/provisioning/${HD}.cfg`, nc: 1 });
    expect((await fetchFile(`${HD}.cfg`, { authorization: wrong })).status).toBe(401);
  });

  it("per-device credentials open only that phone's file, and the shared ones do not open it", async () => {
    expect((await fetchFile(`${OWN}.cfg`, { authorization: basic("room7", "room7-secret") })).status).toBe(200);
    expect((await fetchFile(`${HD}.cfg`, { authorization: basic("room7", "room7-secret") })).status).toBe(401);
    expect((await fetchFile(`${OWN}.cfg`, { authorization: basic(SHARED.username, SHARED.password) })).status).toBe(401);
    expect(await listFetches(ownId)).toHaveLength(1);
  });

  it("answers 404 for an unknown MAC (after authentication) and lists it for adoption", async () => {
    const unauth = await fetchFile("00908f64ffff.cfg");
    expect(unauth.status).toBe(401);
    const r = await fetchFile("00908f64ffff.cfg", { authorization: basic(SHARED.username, SHARED.password) }, "127.64.3.9");
    expect(r.status).toBe(404);
    expect(await listUnknownPhones()).toEqual([expect.objectContaining({ mac: "00908f64ffff", clientAddress: "127.64.3.9", requests: 1 })]);
    expect((await fetchFile("not-a-mac.cfg", { authorization: basic(SHARED.username, SHARED.password) })).status).toBe(404);
  });

  it("refuses clients outside PROVISIONING_ALLOW before anything else", async () => {
    process.env.PROVISIONING_ALLOW = "10.0.0.0/8, 192.0.2.0/24";
    resetProvisioningSettings();
    const outside = await fetchFile(`${HD}.cfg`, { authorization: basic(SHARED.username, SHARED.password) }, "127.64.3.1");
    expect(outside.status).toBe(403);
    const inside = await fetchFile(`${HD}.cfg`, { authorization: basic(SHARED.username, SHARED.password) }, "10.9.8.7");
    expect(inside.status).toBe(200);
  });

  it("never renders a value that would break the key=value format", () => {
    expect(() => renderProvisioningFile({ model: "mt505", values: { "voip/line/0/description": "x\nvoip/line/0/auth_password=evil" }, revision: 1, configUrl: "http://h/" })).toThrow(/line break/);
  });
});
