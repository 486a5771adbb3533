// Issue 13, hole 10 (the smaller ones) where no other suite proves them: a minimal two-column CSV imports; a phone's
// status text is bounded and stripped of control characters before it is stored; the secret mask `********` means
// "keep" for a SIP password in the config and for a device password, never stored literally. (The others are in
// corpus, http, login-throttle, device-networks, tests/push/truth and emulator/test/http/persistence.)
// No phone is contacted: addresses 127.68.12.x have no listener and nothing here reads them.
import { describe, expect, it } from "vitest";
import * as list from "@/app/api/v1/devices/route";
import * as one from "@/app/api/v1/devices/[id]/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import { deviceStatusSchema, STATUS_TEXT_MAX } from "@/lib/device/replies";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { SECRET_MASK, defaultConfig, validatePatch } from "@/lib/params";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const PW = "voip/line/0/auth_password";

describe("hole 10, the smaller holes", () => {
  it("a minimal two-column CSV (name,address + one row) imports", async () => {
    const r = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: "name,address\nMinimal,127.68.12.1:80\n", headers: { "content-type": "text/csv" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ created: 1 });
    const found = await call(list.GET, "GET", "/devices?q=Minimal", { token: f.admin });
    expect(found.body.items.map((d: { name: string; address: string }) => [d.name, d.address])).toEqual([["Minimal", "127.68.12.1:80"]]);
  });

  it("a phone's status text is bounded and without control characters (19 KB reasons, 1,000 transitions)", () => {
    const reason = `bad\u001b[31m\r\nforged log line ${"x".repeat(19_000)}`;
    const health = { address: null, reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null };
    const status = deviceStatusSchema.parse({
      state: "failed",
      proxy: null,
      registrar: `r${"y".repeat(10_000)}`,
      since: null,
      registeredAt: null,
      expiresAt: null,
      lastError: reason,
      keepAlive: { primary: health, redundant: health },
      transitions: Array.from({ length: 1_000 }, (_, i) => ({ at: null, from: { state: "registering", proxy: null }, to: { state: "failed", proxy: null }, reason: `${i} ${reason}` })),
    });
    expect(status.lastError!.length).toBeLessThanOrEqual(STATUS_TEXT_MAX);
    expect(status.lastError).toMatch(/^bad \[31m forged log line x+…$/);
    expect(status.registrar!.length).toBeLessThanOrEqual(255);
    expect(status.transitions.length).toBeLessThanOrEqual(50);
    expect(status.transitions.at(-1)!.reason).toMatch(/^999 bad /); // the newest kept
    for (const t of status.transitions) {
      expect(t.reason.length).toBeLessThanOrEqual(STATUS_TEXT_MAX);
      expect(t.reason).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it("`********` as a SIP password keeps the stored one (nothing changed), in the config", () => {
    const current = { ...defaultConfig(), [PW]: "real-sip-secret" };
    expect(validatePatch(current, { [PW]: SECRET_MASK })).toEqual({ ok: true, values: current, changed: {} });
  });

  it("`********` as a device password keeps the stored one; on create it is refused naming the field", async () => {
    const created = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Masked", address: "127.68.12.2:80", username: "admin", password: "kept-password" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const r = await call(one.PATCH, "PATCH", `/devices/${id}`, { token: f.admin, params: { id }, body: { name: "Masked 2", password: SECRET_MASK } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await getDeviceCredentials(id)).password).toBe("kept-password");
    const masked = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Mask", address: "127.68.12.3:80", password: SECRET_MASK } });
    expect(masked.status).toBe(422);
    expect(masked.body.error.fields.password).toMatch(/mask of a kept password/);
  });
});
