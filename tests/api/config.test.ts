import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as config from "@/app/api/v1/devices/[id]/config/route";
import { getDesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { auditLog, deviceConfigs } from "@/lib/db/schema";
import { defaultConfig } from "@/lib/params";
import { configReader } from "@/lib/push";
import { saveConfigState } from "@/lib/push/store";
import { useApiFixture } from "./support";

const f = useApiFixture();
const SIP = "voip/signalling/sip";
const AUTH_PW = "voip/line/0/auth_password";
let id = "";

beforeAll(async () => {
  const r = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "Conf", address: "127.36.0.1:8080" } });
  id = r.body.id;
  // Adding it started a background read (nothing answers on this address): let it finish before looking.
  await configReader().idle();
});

const get = (token = f.viewer) => call(config.GET, "GET", `/devices/${id}/config`, { token, params: { id } });
const patch = (body: unknown, token = f.admin, headers?: Record<string, string>) =>
  call(config.PATCH, "PATCH", `/devices/${id}/config`, { token, params: { id }, body, headers });
const storedRow = async () => (await (await getDb()).select().from(deviceConfigs).where(eq(deviceConfigs.deviceId, id)))[0];
const auditsOf = async () => (await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, id))).filter((a) => a.action.startsWith("config."));

describe("/api/v1/devices/<id>/config", () => {
  it("a never-read device answers never_read with values null (no defaults shown as the phone's); the failed background read is its lastError", async () => {
    const r = await get();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ revision: 0, state: "never_read", syncedAt: null, values: null });
    expect(r.body.lastError).toMatchObject({ code: "unreachable", message: expect.stringMatching(/^Cannot read the phone/) });
    expect(await auditsOf()).toEqual([]); // a background read writes no audit rows
  });

  it("an invalid patch is a 422 with per-key fields and stores nothing", async () => {
    const before = await storedRow();
    const r = await patch({ values: { [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx.example.com", [`${SIP}/proxy_port`]: 80, "no/such/key": 1 } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("validation_failed");
    expect(Object.keys(r.body.error.fields).sort()).toEqual(["no/such/key", `${SIP}/proxy_port`]);
    expect(await storedRow()).toEqual(before);
    expect((await get()).body.revision).toBe(0);
    expect(await auditsOf()).toEqual([]);
  });

  it("a save to a never-read phone that cannot be read stores nothing and writes exactly one audit entry with the device's error", async () => {
    const r = await patch({ values: { [`${SIP}/proxy_port`]: 5062 } });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("unreachable");
    expect(r.body.error.message).toMatch(/nothing was saved/);
    expect((await get()).body).toMatchObject({ revision: 0, state: "never_read", values: null });
    const audits = await auditsOf();
    expect(audits.map((a) => a.action)).toEqual(["config.push_failed"]);
    expect(audits[0].details).toMatchObject({ code: "unreachable", message: expect.stringContaining("127.36.0.1") });
  });

  // From here the portal has read the phone once (recorded directly: nothing answers on its address), so a save
  // stores the desired config and the push that follows fails, keeping it pending.
  it("a valid patch stores the merged config: revision + 1, secrets encrypted and masked; the failed push keeps it pending, one audit entry", async () => {
    await saveConfigState(await getDb(), id, { baseline: defaultConfig(), values: defaultConfig(), state: "in_sync", deviceRevision: 1, syncedAt: new Date() }, 0);
    const auditsBefore = (await auditsOf()).length;
    const r = await patch({ values: { [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx.example.com", [`${SIP}/proxy_port`]: 5062, [AUTH_PW]: "sip-secret-9" } });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("unreachable");

    const row = await storedRow();
    expect(row.values[`${SIP}/proxy_address`]).toBe("pbx.example.com");
    expect(JSON.stringify(row.values)).not.toContain("sip-secret-9");
    expect(row.updatedBy).toBe("root");
    const desired = await getDesiredConfig(id);
    expect(desired.values[AUTH_PW]).toBe("sip-secret-9");

    const read = await get();
    expect(read.body).toMatchObject({ revision: 1, state: "push_failed", updatedBy: "root", lastError: { code: "unreachable" } });
    expect(read.body.values[`${SIP}/proxy_port`]).toBe(5062);
    expect(read.body.values[AUTH_PW]).toBeNull();
    expect(JSON.stringify(read.body)).not.toContain("sip-secret-9");
    const audits = (await auditsOf()).slice(auditsBefore);
    expect(audits.map((a) => a.action)).toEqual(["config.push_failed"]);
    expect(audits[0].details).toMatchObject({
      code: "unreachable",
      revision: 1,
      changed: expect.arrayContaining([`${SIP}/use_proxy`, `${SIP}/proxy_port`, AUTH_PW]),
      after: expect.objectContaining({ [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_port`]: 5062 }),
    });
    // Secret values never reach the audit trail.
    expect(JSON.stringify(audits)).not.toContain("sip-secret-9");
    expect(audits[0].details).not.toHaveProperty(["after", AUTH_PW]);
  });

  it("a later patch keeps earlier values and the secret when it is absent", async () => {
    await patch({ values: { [`${SIP}/proxy_port`]: 5070, [AUTH_PW]: null } });
    expect((await get()).body.revision).toBe(2);
    const desired = await getDesiredConfig(id);
    expect(desired.values[`${SIP}/proxy_address`]).toBe("pbx.example.com");
    expect(desired.values[AUTH_PW]).toBe("sip-secret-9");
  });

  it("a value for a parameter that does not apply is checked (out of range → 422 naming it), else stored", async () => {
    const KA = `${SIP}/redundant/redundant_proxy_ka_period`; // redundancy is off
    const bad = await patch({ values: { [KA]: 301 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual({ [KA]: "Must be between 0 and 300 seconds" });
    expect((await get()).body.revision).toBe(2);
    const good = await patch({ values: { [KA]: 5 } });
    expect(good.status).toBe(502); // stored; the push to the (absent) device failed
    expect((await get()).body.values[KA]).toBe(5);
  });

  it("a stale revision (If-Match or body) is a 409; the current one is accepted", async () => {
    const stale = await patch({ values: { [`${SIP}/proxy_port`]: 5080 }, revision: 1 });
    expect(stale.status).toBe(409);
    const staleHeader = await patch({ values: { [`${SIP}/proxy_port`]: 5080 } }, f.admin, { "if-match": '"1"' });
    expect(staleHeader.status).toBe(409);
    const fresh = await patch({ values: { [`${SIP}/proxy_port`]: 5080 } }, f.admin, { "if-match": '"3"' });
    expect(fresh.status).toBe(502); // saved; the push to the (absent) device failed
    expect((await get()).body.revision).toBe(4);
  });

  it("viewers cannot save; malformed bodies are 400/422; unknown devices 404", async () => {
    expect((await patch({ values: { [`${SIP}/proxy_port`]: 5090 } }, f.viewer)).status).toBe(403);
    expect((await patch("{oops")).status).toBe(400);
    const noValues = await patch({ value: {} });
    expect(noValues.status).toBe(422);
    expect(noValues.body.error.fields).toHaveProperty("values");
    const missing = "00000000-0000-4000-8000-000000000000";
    const r = await call(config.GET, "GET", `/devices/${missing}/config`, { token: f.admin, params: { id: missing } });
    expect(r.status).toBe(404);
  });
});
