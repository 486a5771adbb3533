// Revisions against the real emulator: each push leaves a snapshot with its changes; restoring an older one is
// a new push, checked by reading the phone's own API; restore is admin-only and failures answer like a push.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as config from "@/app/api/v1/devices/[id]/config/route";
import * as revisions from "@/app/api/v1/devices/[id]/revisions/route";
import * as revision from "@/app/api/v1/devices/[id]/revisions/[rid]/route";
import * as restore from "@/app/api/v1/devices/[id]/revisions/[rid]/restore/route";
import { getDb } from "@/lib/db";
import { auditLog } from "@/lib/db/schema";
import { DEVICE_PASS, DEVICE_USER, readPhone, SIP, useRevisionFixture } from "./support";

const IP = "127.48.1.1";
const { api, state } = useRevisionFixture(IP, 1);
let id = "";

const patch = (values: Record<string, unknown>) => call(config.PATCH, "PATCH", `/devices/${id}/config`, { token: api.admin, params: { id }, body: { values } });
const list = () => call(revisions.GET, "GET", `/devices/${id}/revisions`, { token: api.viewer, params: { id } });
const doRestore = (rid: number | string, token = api.admin, deviceId = id) =>
  call(restore.POST, "POST", `/devices/${deviceId}/revisions/${rid}/restore`, { token, params: { id: deviceId, rid: String(rid) } });

let revA = 0;
let revB = 0;

beforeAll(async () => {
  const r = await call(devicesRoute.POST, "POST", "/devices", {
    token: api.admin,
    body: { name: "Board room", address: `${IP}:8080`, username: DEVICE_USER, password: DEVICE_PASS },
  });
  expect(r.status).toBe(201);
  id = r.body.id;
});

describe("revisions of a device", () => {
  it("every successful push stores a snapshot; the list is newest first with who, source and changes", async () => {
    const a = await patch({ [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx-a.example.com", [`${SIP}/proxy_port`]: 5071 });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    revA = a.body.push.snapshotId;
    const b = await patch({ [`${SIP}/proxy_address`]: "pbx-b.example.com", [`${SIP}/proxy_port`]: 5072 });
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    revB = b.body.push.snapshotId;
    expect(revB).toBeGreaterThan(revA);

    const r = await list();
    expect(r.status).toBe(200);
    expect(r.body.map((x: { id: number }) => x.id).slice(0, 2)).toEqual([revB, revA]);
    expect(r.body[0]).toMatchObject({ actor: "root", source: "push", jobId: null, deviceRevision: (await readPhone(IP)).revision });
    expect(r.body[0].changes).toEqual({
      [`${SIP}/proxy_address`]: { from: "pbx-a.example.com", to: "pbx-b.example.com" },
      [`${SIP}/proxy_port`]: { from: 5071, to: 5072 },
    });
    expect(r.body[0]).not.toHaveProperty("values");
    // The push's audit entry carries the device's before/after values of what was sent.
    const pushes = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "config.push"));
    expect(pushes.at(-1)!.details).toMatchObject({
      source: "push",
      before: { [`${SIP}/proxy_address`]: "pbx-a.example.com", [`${SIP}/proxy_port`]: 5071 },
      after: { [`${SIP}/proxy_address`]: "pbx-b.example.com", [`${SIP}/proxy_port`]: 5072 },
    });
  });

  it("one revision has the full values; secrets are masked; unknown or foreign ids are 404", async () => {
    const r = await call(revision.GET, "GET", `/devices/${id}/revisions/${revA}`, { token: api.viewer, params: { id, rid: String(revA) } });
    expect(r.status).toBe(200);
    expect(r.body.values).toMatchObject({ [`${SIP}/proxy_address`]: "pbx-a.example.com", [`${SIP}/proxy_port`]: 5071 });
    expect(JSON.stringify(r.body)).not.toContain("sip-secret-48");
    for (const rid of ["999999", "abc"]) {
      const missing = await call(revision.GET, "GET", `/devices/${id}/revisions/${rid}`, { token: api.viewer, params: { id, rid } });
      expect(missing.status).toBe(404);
    }
  });

  it("restoring an older revision pushes its values: the phone's own API shows them; a restore snapshot is added", async () => {
    const before = await readPhone(IP);
    expect(before.values[`${SIP}/proxy_port`]).toBe(5072);
    const r = await doRestore(revA);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.push).toMatchObject({ ok: true, noop: false, before: { [`${SIP}/proxy_port`]: 5072 }, after: { [`${SIP}/proxy_port`]: 5071 } });
    expect(r.body.values[`${SIP}/proxy_port`]).toBe(5071);

    const phone = await readPhone(IP);
    expect(phone.values).toMatchObject({ [`${SIP}/proxy_address`]: "pbx-a.example.com", [`${SIP}/proxy_port`]: 5071, [`${SIP}/use_proxy`]: 1 });
    expect(phone.revision).toBe(before.revision + 1);

    const [newest] = (await list()).body;
    expect(newest).toMatchObject({ source: "restore", actor: "root", note: `Restored revision #${revA}`, deviceRevision: phone.revision });
    expect(newest.changes[`${SIP}/proxy_port`]).toEqual({ from: 5072, to: 5071 });

    const audits = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "config.restore"));
    expect(audits.at(-1)).toMatchObject({
      actor: "root",
      targetType: "device",
      targetId: id,
      details: { revisionId: revA, result: "applied", before: { [`${SIP}/proxy_port`]: 5072 }, after: { [`${SIP}/proxy_port`]: 5071 } },
    });
  });

  it("restoring the revision the device already has changes nothing on the phone", async () => {
    const before = await readPhone(IP);
    const r = await doRestore(revA);
    expect(r.status).toBe(200);
    expect(r.body.push.noop).toBe(true);
    expect((await readPhone(IP)).revision).toBe(before.revision);
  });

  it("viewers cannot restore; an unknown revision is 404", async () => {
    expect((await doRestore(revB, api.viewer)).status).toBe(403);
    expect((await doRestore(123456789)).status).toBe(404);
    expect((await readPhone(IP)).values[`${SIP}/proxy_port`]).toBe(5071);
  });

  it("a restore to an unreachable phone answers 502 unreachable and records a failed restore", async () => {
    await state.fleet!.remove(IP);
    const r = await doRestore(revB);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("unreachable");
    const audits = await (await getDb()).select().from(auditLog).where(eq(auditLog.action, "config.restore"));
    expect(audits.at(-1)!.details).toMatchObject({ revisionId: revB, result: "failed", error: { code: "unreachable" } });
  });
});
