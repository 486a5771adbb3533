// Device fields of issue 11 (driver, model, MAC, SIP address) through the REST API and the CSV import/export.
import { describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as one from "@/app/api/v1/devices/[id]/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as exportRoute from "@/app/api/v1/devices/export.csv/route";
import { useApiFixture } from "./support";

const f = useApiFixture();

describe("device driver, model, MAC and SIP address", () => {
  it("defaults to api / mt505 with no MAC; existing clients see the same shape plus the new fields", async () => {
    const r = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Plain", address: "127.64.2.1:8080" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ driver: "api", model: "mt505", mac: null, sipAddress: null, provisioningUsername: "", hasProvisioningPassword: false });
  });

  it.each(["00:1f:9c:12:34:56", "00-1F-9C-12-34-56", "001f9c123456"])("accepts MAC %s and stores it normalized", async (mac) => {
    const r = await call(list.POST, "POST", "/devices", {
      token: f.admin,
      body: { name: `P ${mac}`, address: `127.64.2.${10 + mac.length}:80`, driver: "provisioning", model: "audiocodes-hd", mac, sipAddress: "127.64.2.9:5062" },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ driver: "provisioning", model: "audiocodes-hd", mac: "001f9c123456", sipAddress: "127.64.2.9:5062" });
    // Unique after normalization: the same MAC spelled differently is a duplicate.
    expect((await call(one.DELETE, "DELETE", `/devices/${r.body.id}`, { token: f.admin, params: { id: r.body.id } })).status).toBe(204);
  });

  it("refuses a malformed MAC, a provisioning phone without one, a duplicate MAC and a bad SIP address, naming the field", async () => {
    const bad = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X", address: "127.64.2.30:80", mac: "00:1f:9c:12:34" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.mac).toMatch(/12 hex digits/);
    const mixed = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X", address: "127.64.2.30:80", mac: "00:1f-9c:12:34:56" } });
    expect(mixed.body.error.fields.mac).toMatch(/12 hex digits/);
    const noMac = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X", address: "127.64.2.30:80", driver: "provisioning" } });
    expect(noMac.status).toBe(422);
    expect(noMac.body.error.fields.mac).toMatch(/required for the provisioning driver/);
    const sip = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X", address: "127.64.2.30:80", sipAddress: "phone:99999" } });
    expect(sip.body.error.fields.sipAddress).toMatch(/port/);
    const drv = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "X", address: "127.64.2.30:80", driver: "tr069" } });
    expect(drv.body.error.fields.driver).toMatch(/api, web, provisioning/);
    const a = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "A", address: "127.64.2.31:80", mac: "00908f000001" } });
    expect(a.status).toBe(201);
    const dup = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "B", address: "127.64.2.32:80", mac: "00:90:8F:00:00:01" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields).toEqual({ mac: "A device with this MAC already exists" });
    // PATCH to provisioning keeps the MAC rule against the stored row.
    const plain = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "C", address: "127.64.2.33:80" } });
    const patch = await call(one.PATCH, "PATCH", `/devices/${plain.body.id}`, { token: f.admin, params: { id: plain.body.id }, body: { driver: "provisioning" } });
    expect(patch.status).toBe(422);
    expect(patch.body.error.fields.mac).toMatch(/required/);
  });

  it("filters the list by driver and model, and finds a phone by its MAC in any spelling", async () => {
    await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Web 1", address: "127.64.2.40:80", driver: "web", model: "audiocodes-hd", mac: "00908f0000aa" } });
    const web = await call(list.GET, "GET", "/devices?driver=web", { token: f.viewer });
    expect(web.body.items.map((d: { name: string }) => d.name)).toEqual(["Web 1"]);
    const hd = await call(list.GET, "GET", "/devices?model=audiocodes-hd&driver=api", { token: f.viewer });
    expect(hd.body.items).toEqual([]);
    const byMac = await call(list.GET, "GET", `/devices?q=${encodeURIComponent("00:90:8f:00:00:aa")}`, { token: f.viewer });
    expect(byMac.body.items.map((d: { name: string }) => d.name)).toEqual(["Web 1"]);
    const badFilter = await call(list.GET, "GET", "/devices?driver=x", { token: f.viewer });
    expect(badFilter.status).toBe(422);
  });

  it("imports and exports the columns driver,model,mac,sipAddress; a bad MAC row imports nothing", async () => {
    const csv = ["name,address,driver,model,mac,sipAddress", "Csv P,127.64.2.50:80,provisioning,audiocodes-hd,00-90-8F-00-00-50,127.64.2.50:5060", "Csv A,127.64.2.51:80,,,,"].join("\n");
    const r = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(200);
    const bad = ["name,address,driver,mac", "Bad,127.64.2.52:80,provisioning,zz", "Bad2,127.64.2.53:80,provisioning,"].join("\n");
    const rb = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: bad, headers: { "content-type": "text/csv" } });
    expect(rb.status).toBe(422);
    expect(rb.body.error.rows).toEqual([
      { row: 2, field: "mac", message: expect.stringMatching(/12 hex digits/) },
      { row: 3, field: "mac", message: expect.stringMatching(/required/) },
    ]);
    const out = await call(exportRoute.GET, "GET", "/devices/export.csv", { token: f.viewer });
    const lines = String(out.body).split(/\r?\n/);
    expect(lines[0]).toBe("name,address,username,site,tags,driver,model,mac,sipAddress");
    expect(lines).toContain("Csv P,127.64.2.50:80,,,,provisioning,audiocodes-hd,00908f000050,127.64.2.50:5060");
    expect(lines).toContain("Csv A,127.64.2.51:80,,,,api,mt505,,");
  });
});
