// The security corpus at the provisioning endpoint (issue 13): GET /provisioning/<mac>.cfg through the real route
// with hostile input — bad and forged credentials (Basic and Digest), injection and traversal in the file name,
// oversized and control-character headers. Each one gets a clear 4xx (never a 500), serves no config, records no
// fetch, and a phone's user agent is stored bounded and without control characters. Loopback range 127.68.6.x.
import { describe, expect, it, beforeAll } from "vitest";
import { buildAuthorization, parseChallenge } from "../../emulator/src/sip/digest";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as route from "@/app/provisioning/[file]/route";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { listFetches, listUnknownPhones } from "@/lib/provisioning/store";
import { useApiFixture } from "../api/support";
import { useSocketForwarding } from "@/tests/support/route-server";

const f = useApiFixture();
useSocketForwarding(); // the X-Forwarded-For these requests carry is what server.mjs writes: the socket's address
const SHARED = { username: "phones", password: "corpus-secret" };
const MAC = "00908f680601";
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
const GOOD = basic(SHARED.username, SHARED.password);

async function fetchFile(file: string, headers: Record<string, string> = {}) {
  const req = new Request(`http://127.68.6.100:40601/provisioning/${file}`, { headers: { "x-forwarded-for": "127.68.6.1", "user-agent": "AUDC-IPPhone/2.2", ...headers } });
  const res = await route.GET(req, { params: Promise.resolve({ file }) });
  return { status: res.status, text: await res.text(), res };
}

let id = "";
beforeAll(async () => {
  Object.assign(process.env, { PROVISIONING_USERNAME: SHARED.username, PROVISIONING_PASSWORD: SHARED.password, PROVISIONING_RATE_PER_MIN: "100000" });
  resetProvisioningSettings();
  const made = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "corpus phone", address: "127.68.6.10:80", driver: "provisioning", model: "audiocodes-hd", mac: MAC } });
  expect(made.status).toBe(201);
  id = made.body.id;
});

describe("provisioning endpoint corpus", () => {
  it("bad, forged and oversized credentials: 401 with a challenge, no config, nothing recorded", async () => {
    const challenge = parseChallenge((await fetchFile(`${MAC}.cfg`)).res.headers.get("www-authenticate") ?? "");
    expect(challenge).not.toBeNull();
    const digest = (over: Partial<{ username: string; password: string; uri: string; nonce: string; realm: string }>) =>
      buildAuthorization({ ...challenge!, realm: over.realm ?? challenge!.realm, nonce: over.nonce ?? challenge!.nonce }, { username: over.username ?? SHARED.username, password: over.password ?? SHARED.password, method: "GET", uri: over.uri ?? `/provisioning/${MAC}.cfg`, nc: 1 });
    const cases: Record<string, string> = {
      "wrong password": basic(SHARED.username, "nope"),
      "wrong user": basic("root", SHARED.password),
      "user differs by case": basic(SHARED.username.toUpperCase(), SHARED.password),
      "empty user and password": basic("", ""),
      "no colon": `Basic ${Buffer.from("phonescorpus-secret").toString("base64")}`,
      "not base64": "Basic !!!***",
      "Basic without value": "Basic",
      "password with a NUL suffix": basic(SHARED.username, `${SHARED.password}\u0000`),
      "password with CRLF": basic(SHARED.username, `${SHARED.password}\r\n`),
      "SQL in the user": basic("phones' OR '1'='1", "x' OR '1'='1"),
      "a Bearer token": "Bearer sapt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "unknown scheme": "Negotiate YIIB",
      "empty header": "",
      "whitespace": "   ",
      "huge Basic (100 KB)": `Basic ${"A".repeat(100_000)}`,
      "huge Digest (100 KB)": `Digest username="${"x".repeat(100_000)}"`,
      "Digest, wrong password": digest({ password: "nope" }),
      "Digest for another file": digest({ uri: "/provisioning/00908f680602.cfg" }),
      "Digest for a traversal uri": digest({ uri: "/provisioning/../../etc/passwd" }),
      "Digest with a forged nonce": digest({ nonce: "forged-nonce-1234" }),
      "Digest with another realm": digest({ realm: "evil" }),
      "Digest, no fields": "Digest",
      "Digest, garbage": 'Digest username=, realm="x", nonce=',
    };
    for (const [what, authorization] of Object.entries(cases)) {
      const r = await fetchFile(`${MAC}.cfg`, { authorization });
      expect(r.status, what).toBe(401);
      expect(r.res.headers.get("www-authenticate"), what).toMatch(/^Digest /);
      expect(r.text, what).not.toMatch(/voip\//);
    }
    expect(await listFetches(id)).toEqual([]);
    // The right credentials still work afterwards.
    expect((await fetchFile(`${MAC}.cfg`, { authorization: GOOD })).status).toBe(200);
  });

  it("injection and traversal in the file name: a clear 404 naming the expected form, never a config, nothing recorded", async () => {
    const before = (await listFetches(id)).length;
    const unknownBefore = (await listUnknownPhones()).length;
    const names = [
      `${MAC.toUpperCase()}.cfg`,
      `${MAC.slice(0, 11)}.cfg`,
      `${MAC}0.cfg`,
      `${MAC}.cfg\u0000`,
      `${MAC}\u0000.cfg`,
      `${MAC}.cfg.bak`,
      `${MAC}.CFG`,
      `${MAC}.cfg;rm -rf /`,
      `${MAC}'--.cfg`,
      `${MAC}.cfg' OR '1'='1`,
      "<script>alert(1)</script>.cfg",
      "00:90:8f:68:06:01.cfg",
      "00-90-8f-68-06-01.cfg",
      "００９０８ｆ６８０６０１.cfg", // full-width digits
      `\u202e${MAC}.cfg`, // RTL override
      `${MAC}\u200b.cfg`, // zero-width space
      "../../../etc/passwd",
      "..%2F..%2F..%2Fetc%2Fpasswd",
      "%2e%2e%2fpackage.json",
      "..\\..\\package.json",
      `../${MAC}.cfg`,
      "/etc/passwd",
      "package.json",
      ".env",
      "",
      ".cfg",
      "a".repeat(10_000) + ".cfg",
      `${MAC}.cfg\r\nSet-Cookie: x=1`,
    ];
    for (const name of names) {
      const r = await fetchFile(name, { authorization: GOOD });
      expect(r.status, JSON.stringify(name)).toBe(404);
      expect(r.text, JSON.stringify(name)).toMatch(/file name must be <mac>\.cfg/);
      expect(r.text).not.toMatch(/voip\/|root:|"name":/);
      expect(r.res.headers.get("set-cookie")).toBeNull();
    }
    expect((await listFetches(id)).length).toBe(before);
    expect((await listUnknownPhones()).length).toBe(unknownBefore);
  });

  it("oversized and control-character headers: served or refused cleanly; what is stored is bounded and printable", async () => {
    const hostile = `AUDC-IPPhone/2.2\u001b[31m\u0007${"x".repeat(50_000)}`; // ESC, BEL (Fetch refuses NUL/CR/LF itself)
    const r = await fetchFile(`${MAC}.cfg`, { authorization: GOOD, "user-agent": hostile });
    expect(r.status).toBe(200);
    const [last] = await listFetches(id);
    expect(last.userAgent.length).toBeLessThanOrEqual(200);
    expect(last.userAgent).toMatch(/^AUDC-IPPhone\/2\.2\[31mx+$/);
    // An unknown phone's user agent (listed for admins) likewise.
    const unknown = "00908f680699";
    expect((await fetchFile(`${unknown}.cfg`, { authorization: GOOD, "user-agent": hostile })).status).toBe(404);
    const listed = (await listUnknownPhones()).find((u) => u.mac === unknown);
    expect(listed?.userAgent.length).toBeLessThanOrEqual(200);
    expect(listed?.userAgent).not.toMatch(/[\u0000-\u001f]/);
    // A huge X-Forwarded-For (a client, without TRUST_PROXY, or a broken proxy) is not a 500.
    const xff = await fetchFile(`${MAC}.cfg`, { authorization: GOOD, "x-forwarded-for": "1.2.3.4, ".repeat(10_000) });
    expect(xff.status).toBeLessThan(500);
  });
});
