import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as config from "@/app/api/v1/devices/[id]/config/route";
import { getDesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { auditLog, deviceConfigs } from "@/lib/db/schema";
import { defaultConfig } from "@/lib/params";
import { useApiFixture } from "./support";

const f = useApiFixture();
const SIP = "voip/signalling/sip";
const AUTH_PW = "voip/line/0/auth_password";
let id = "";

beforeAll(async () => {
  const r = await call(devicesRoute.POST, "POST", "/devices", { token: f.admin, body: { name: "Conf", address: "127.36.0.1:8080" } });
  id = r.body.id;
});

const get = (token = f.viewer) => call(config.GET, "GET", `/devices/${id}/config`, { token, params: { id } });
const patch = (body: unknown, token = f.admin, headers?: Record<string, string>) =>
  call(config.PATCH, "PATCH", `/devices/${id}/config`, { token, params: { id }, body, headers });
const storedRow = async () => (await (await getDb()).select().from(deviceConfigs).where(eq(deviceConfigs.deviceId, id)))[0];

describe("/api/v1/devices/<id>/config", () => {
  it("a new device reads as the catalog defaults, never pushed, revision 0", async () => {
    const r = await get();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ revision: 0, state: "never_read", syncedAt: null });
    const defaults = defaultConfig();
    expect(Object.keys(r.body.values).sort()).toEqual(Object.keys(defaults).sort());
    expect(r.body.values[`${SIP}/proxy_port`]).toBe(defaults[`${SIP}/proxy_port`]);
    expect(r.body.values[AUTH_PW]).toBeNull();
  });

  it("an invalid patch is a 422 with per-key fields and stores nothing", async () => {
    const before = await storedRow();
    const r = await patch({ values: { [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx.example.com", [`${SIP}/proxy_port`]: 80, "no/such/key": 1 } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("validation_failed");
    expect(Object.keys(r.body.error.fields).sort()).toEqual(["no/such/key", `${SIP}/proxy_port`]);
    expect(await storedRow()).toEqual(before);
    expect((await get()).body.revision).toBe(0);
  });

  // Nothing answers on this device's address: the push after the save fails (tests/push covers a live device),
  // and the desired config stays stored, pending a retry.
  it("a valid patch stores the merged config: revision + 1, secrets encrypted and masked; the failed push keeps it pending", async () => {
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
  });

  it("a later patch keeps earlier values and the secret when it is absent", async () => {
    await patch({ values: { [`${SIP}/proxy_port`]: 5070, [AUTH_PW]: null } });
    expect((await get()).body.revision).toBe(2);
    const desired = await getDesiredConfig(id);
    expect(desired.values[`${SIP}/proxy_address`]).toBe("pbx.example.com");
    expect(desired.values[AUTH_PW]).toBe("sip-secret-9");
    const audits = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "config.update"));
    expect(audits.map((a) => a.details)).toEqual([
      {
        revision: 1,
        changed: expect.arrayContaining([`${SIP}/use_proxy`, `${SIP}/proxy_port`, AUTH_PW]),
        before: expect.objectContaining({ [`${SIP}/use_proxy`]: 0, [`${SIP}/proxy_port`]: 5060 }),
        after: expect.objectContaining({ [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_port`]: 5062 }),
      },
      { revision: 2, changed: [`${SIP}/proxy_port`], before: { [`${SIP}/proxy_port`]: 5062 }, after: { [`${SIP}/proxy_port`]: 5070 } },
    ]);
    // Secret values never reach the audit trail.
    expect(JSON.stringify(audits)).not.toContain("sip-secret-9");
    expect(audits[0].details).not.toHaveProperty(["before", AUTH_PW]);
  });

  it("a stale revision (If-Match or body) is a 409; the current one is accepted", async () => {
    const stale = await patch({ values: { [`${SIP}/proxy_port`]: 5080 }, revision: 1 });
    expect(stale.status).toBe(409);
    const staleHeader = await patch({ values: { [`${SIP}/proxy_port`]: 5080 } }, f.admin, { "if-match": '"1"' });
    expect(staleHeader.status).toBe(409);
    const fresh = await patch({ values: { [`${SIP}/proxy_port`]: 5080 } }, f.admin, { "if-match": '"2"' });
    expect(fresh.status).toBe(502); // saved; the push to the (absent) device failed
    expect((await get()).body.revision).toBe(3);
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
