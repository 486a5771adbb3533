// Backup/restore through config.cfg against the real emulator: download → change → upload preview (diff) →
// push the diff → the phone (read on its own API) holds the backup again; bad files answer row errors, push nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as config from "@/app/api/v1/devices/[id]/config/route";
import * as cfg from "@/app/api/v1/devices/[id]/config.cfg/route";
import * as preview from "@/app/api/v1/devices/[id]/config.cfg/preview/route";
import { parseCfg } from "@/lib/config-file";
import { DEVICE_PASS, DEVICE_USER, PW, readPhone, SIP, SIP_SECRET, useRevisionFixture } from "./support";

const IP = "127.48.2.1";
const { api, state } = useRevisionFixture(IP, 1);
let id = "";

const patch = (values: Record<string, unknown>) => call(config.PATCH, "PATCH", `/devices/${id}/config`, { token: api.admin, params: { id }, body: { values } });
const download = (deviceId = id) => call(cfg.GET, "GET", `/devices/${deviceId}/config.cfg`, { token: api.viewer, params: { id: deviceId } });
const upload = (text: string) => call(preview.POST, "POST", `/devices/${id}/config.cfg/preview`, { token: api.admin, params: { id }, text, headers: { "content-type": "text/plain" } });
const desiredRevision = async () => (await call(config.GET, "GET", `/devices/${id}/config`, { token: api.viewer, params: { id } })).body.revision as number;

beforeAll(async () => {
  const r = await call(devicesRoute.POST, "POST", "/devices", {
    token: api.admin,
    body: { name: "Lobby / desk 2", address: `${IP}:8080`, username: DEVICE_USER, password: DEVICE_PASS },
  });
  id = r.body.id;
  const pushed = await patch({ [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx.example.com", [`${SIP}/proxy_port`]: 5062, [`${SIP}/auth_retries`]: 3 });
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
});

describe("config.cfg backup and upload", () => {
  let backup = "";

  it("downloads the live config as key=value lines with the device's file name; the SIP password stays masked", async () => {
    const r = await download();
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toContain("text/plain");
    expect(r.res.headers.get("content-disposition")).toBe('attachment; filename="Lobby_desk_2-config.cfg"');
    backup = r.body as string;
    expect(backup).toMatch(/^# Spider MT505 configuration of Lobby \/ desk 2/);
    expect(backup).toContain(`\n${SIP}/proxy_port=5062\n`);
    expect(backup).toContain(`\n${PW}=********\n`);
    expect(backup).not.toContain(SIP_SECRET);
    // Every non-secret line is what the phone itself reports.
    const phone = await readPhone(IP);
    const parsed = parseCfg(backup);
    expect(parsed.errors).toEqual([]);
    for (const [k, v] of Object.entries(parsed.values)) expect([k, phone.values[k]]).toEqual([k, v]);
  });

  it("backup → change → upload: the preview diff lists exactly the changed keys; pushing it restores the backup", async () => {
    const changed = await patch({ [`${SIP}/proxy_port`]: 5090, [`${SIP}/auth_retries`]: 7 });
    expect(changed.status).toBe(200);
    expect((await readPhone(IP)).values[`${SIP}/proxy_port`]).toBe(5090);

    const r = await upload(backup);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ diff: { [`${SIP}/proxy_port`]: { from: 5090, to: 5062 }, [`${SIP}/auth_retries`]: { from: 7, to: 3 } } });

    const values = Object.fromEntries(Object.entries(r.body.diff as Record<string, { to: unknown }>).map(([k, d]) => [k, d.to]));
    const pushed = await patch(values);
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);

    const phone = await readPhone(IP);
    for (const [k, v] of Object.entries(parseCfg(backup).values)) expect([k, phone.values[k]]).toEqual([k, v]);
    // The masked password line meant "keep": the phone still has its SIP password.
    expect(state.fleet!.get(IP)!.rawValues()[PW]).toBe(SIP_SECRET);
    expect((await upload(backup)).body).toEqual({ diff: {} });
  });

  it("malformed rows, unknown keys and catalog violations are errors with line numbers; nothing is stored or pushed", async () => {
    const phoneBefore = await readPhone(IP);
    const revisionBefore = await desiredRevision();
    const text = ["# edited by hand", `${SIP}/auth_retries=5`, "this is not a setting", `${SIP}/proxy_port=80`, "", "no/such/key=1", `${SIP}/sip_registrar/enabled=yes`].join("\n");
    const r = await upload(text);
    expect(r.status).toBe(200);
    expect(r.body.diff).toEqual({});
    expect(r.body.errors).toEqual([
      { line: 3, message: "Expected key=value" },
      { line: 4, key: `${SIP}/proxy_port`, message: "Must be between 1024 and 65535" },
      { line: 6, key: "no/such/key", message: 'Unknown parameter "no/such/key"' },
      { line: 7, key: `${SIP}/sip_registrar/enabled`, message: "Must be 0 or 1" },
    ]);
    expect(await desiredRevision()).toBe(revisionBefore);
    expect(await readPhone(IP)).toEqual(phoneBefore);
  });

  it("a partial file changes only its keys; an unreachable phone makes the download a 502", async () => {
    const r = await upload(`${SIP}/auth_retries=6\n`);
    expect(r.body).toEqual({ diff: { [`${SIP}/auth_retries`]: { from: 3, to: 6 } } });
    await state.fleet!.remove(IP);
    const down = await download();
    expect(down.status).toBe(502);
    expect(down.body.error.code).toBe("unreachable");
  });
});
