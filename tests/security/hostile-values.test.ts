// Issue 13, hole 4: values read from a phone are validated with the catalog before anything is stored. A real HTTP
// phone (the device API: GET/PATCH /api/v1/config) reports a proxy address carrying a CR/LF and a second key=value
// line, a dial timeout out of range and a transport that is no option. The portal's read must not adopt them (the
// desired config keeps its own values), show each as drift with "the phone reports an invalid value", never write
// them into a config.cfg, and an unrelated edit afterwards must go through (not fail on keys the admin never
// touched). Then a corpus: for every parameter, values of the wrong type, out of range, fractional, with line breaks,
// NUL, 10k characters, unknown options — each one refused as the phone's invalid value, none adopted.
// Loopback range 127.68.10.x, port chosen by the OS.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as cfgRoute from "@/app/api/v1/devices/[id]/config.cfg/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { EDITABLE_PARAMS, SECRET_KEYS, defaultConfig, type ParamDef } from "@/lib/params";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const HOST = "127.68.10.1";
const SIP = "voip/signalling/sip";
const HOSTILE: Record<string, unknown> = {
  [`${SIP}/use_proxy`]: 1,
  [`${SIP}/proxy_address`]: `evil.example\r\n${SIP}/proxy_port=1`,
  "voip/dial_timeout": 99999,
  [`${SIP}/transport_protocol`]: "carrier-pigeon",
};
// As drift shows them: control characters written out, never stored raw.
const SHOWN: Record<string, unknown> = { ...HOSTILE, [`${SIP}/proxy_address`]: `evil.example\\u000d\\u000a${SIP}/proxy_port=1` };
const INVALID_KEYS = [`${SIP}/proxy_address`, "voip/dial_timeout", `${SIP}/transport_protocol`];
const DESCRIPTION = "voip/line/0/description";

// The phone: the catalog's defaults with the hostile values on top; a PATCH is taken as it comes (this phone does
// not validate either), so the portal's own checks are all that stand between it and the stored config.
let revision = 3;
let values: Record<string, unknown> = {};
const patches: Array<Record<string, unknown>> = [];
let phone: http.Server;
let id = "";

const reply = (res: http.ServerResponse) => {
  const shown = { ...values };
  for (const k of SECRET_KEYS) if (k in shown) shown[k] = "********";
  res.writeHead(200, { "content-type": "application/json", etag: `"${revision}"` });
  res.end(JSON.stringify({ revision, values: shown }));
};

beforeAll(async () => {
  values = { ...defaultConfig(), ...HOSTILE };
  phone = http.createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    if (req.url === "/api/v1/config" && req.method === "GET") return reply(res);
    if (req.url === "/api/v1/config" && req.method === "PATCH") {
      const patch = (JSON.parse(body) as { values: Record<string, unknown> }).values;
      patches.push(patch);
      values = { ...values, ...patch };
      revision++;
      return reply(res);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => phone.listen(0, HOST, r));
  id = (await createDevice({ name: "lying phone", address: `${HOST}:${(phone.address() as AddressInfo).port}`, username: "admin", password: "pw" }, "root")).id;
});
afterAll(async () => {
  await closeDeviceClients();
  await new Promise((r) => phone?.close(r));
});

const getConfig = () => call(configRoute.GET, "GET", `/devices/${id}/config`, { token: f.admin, params: { id } });

describe("hole 4: values read from a phone are validated before they are stored", () => {
  it("a read stores none of the invalid values: each is drift with 'the phone reports an invalid value'", async () => {
    const r = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const config = await getConfig();
    expect(config.body.state).toBe("drifted");
    for (const k of INVALID_KEYS) {
      expect(config.body.values[k], k).not.toBe(HOSTILE[k]);
      expect(config.body.values[k], k).toBe(defaultConfig()[k]);
      expect(config.body.drift[k], k).toMatchObject({ actual: SHOWN[k], error: expect.stringMatching(/^The phone reports an invalid value/) });
    }
    expect(JSON.stringify(config.body.values)).not.toContain("evil.example");
    // A valid value the phone reports is taken as usual.
    expect(config.body.values[`${SIP}/use_proxy`]).toBe(1);
  });

  it("the config.cfg download leaves them out (no injected line), and says so", async () => {
    const r = await call(cfgRoute.GET, "GET", `/devices/${id}/config.cfg`, { token: f.admin, params: { id } });
    expect(r.status).toBe(200);
    const text = typeof r.body === "string" ? r.body : await r.res.clone().text();
    expect(text).not.toContain("evil.example");
    expect(text).not.toMatch(/^voip\/signalling\/sip\/proxy_port=1$/m);
    expect(text).not.toContain("carrier-pigeon");
    expect(text).not.toContain("99999");
    for (const k of INVALID_KEYS) expect(text).toContain(`Left out: ${k} (the phone reports an invalid value)`);
  });

  it("an unrelated edit afterwards is saved and pushed: it does not fail on keys the admin never touched", async () => {
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, { token: f.admin, params: { id }, body: { values: { [DESCRIPTION]: "Room 12" } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Only the edited key went to the phone: the portal did not "fix" or re-send the values it refused.
    expect(patches).toEqual([{ [DESCRIPTION]: "Room 12" }]);
    const config = await getConfig();
    expect(config.body.values[DESCRIPTION]).toBe("Room 12");
    for (const k of INVALID_KEYS) expect(config.body.drift[k], k).toMatchObject({ error: expect.stringMatching(/^The phone reports an invalid value/) });
  });

  it("a corpus of invalid values for every parameter: each one drift with an error, none adopted", async () => {
    const bad = (p: ParamDef): Array<[string, unknown]> => {
      switch (p.type) {
        case "boolean":
          // ("1" as text is the same value on this wire: the driver reads it as 1.)
          return [["2", 2], ["-1", -1], ["text", "yes"], ["true", true], ["0.5", 0.5]];
        case "integer":
        case "port":
          return [["below", (p.min ?? 0) - 1], ["above", (p.max ?? 65535) + 1], ["fraction", (p.min ?? 1) + 0.5], ["text", String(p.min ?? 1)], ["1e308", 1e308], ["-0.1", -0.1], ["null", null]];
        case "enum":
          return [["unknown", "carrier-pigeon"], ["number", 9999], ["upper", String(p.options?.[0]?.value).toUpperCase() + "X"], ["array", [p.options?.[0]?.value]]];
        default:
          return [["CR LF key=value", `x\r\n${SIP}/proxy_port=1`], ["NUL", "a\u0000b"], ["10k", "x".repeat(10_000)], ["ESC", "\u001b[2J"], ["number", 5], ["object", { v: 1 }]];
      }
    };
    const params = EDITABLE_PARAMS.filter((p) => !p.secret && !p.readOnly);
    const rounds = Math.max(...params.map((p) => bad(p).length));
    let cases = 0;
    const before = await getConfig();
    for (let round = 0; round < rounds; round++) {
      const sent: Record<string, unknown> = {};
      for (const p of params) {
        const c = bad(p)[round];
        if (c) sent[p.key] = c[1];
      }
      values = { ...defaultConfig(), ...sent };
      revision++;
      const r = await call(syncRoute.POST, "POST", `/devices/${id}/sync`, { token: f.admin, params: { id } });
      // A value of a type no config reply may hold (true, null, arrays, objects) makes the whole reply malformed: the
      // read fails naming the key (502, the phone's fault), nothing stored. Any other is screened value by value.
      if (r.status !== 200) {
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(502);
        expect(r.body.error).toMatchObject({ code: "malformed_reply", message: expect.stringMatching(/sent an unexpected reply to GET \/api\/v1\/config: values\./) });
      }
      const config = await getConfig();
      for (const [k, v] of Object.entries(sent)) {
        cases++;
        const p = params.find((x) => x.key === k)!;
        const label = `${k} = ${JSON.stringify(v)?.slice(0, 40)} (${bad(p)[round][0]})`;
        expect(config.body.values[k], label).toEqual(before.body.values[k]);
        if (r.status === 200) expect(config.body.drift?.[k]?.error ?? `no drift for ${label}`, label).toMatch(/^The phone reports an invalid value/);
      }
    }
    expect(cases).toBeGreaterThanOrEqual(250);
  });
});
