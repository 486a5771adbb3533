import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as one from "@/app/api/v1/devices/[id]/route";
import * as importRoute from "@/app/api/v1/devices/import/route";
import * as exportRoute from "@/app/api/v1/devices/export.csv/route";
import { getDb } from "@/lib/db";
import { auditLog, devices } from "@/lib/db/schema";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { useApiFixture } from "./support";

const f = useApiFixture();
const count = async () => (await (await getDb()).select({ n: sql<number>`count(*)::int` }).from(devices))[0].n;

describe("device CRUD", () => {
  let id = "";

  it("POST creates (201), encrypts the password, never returns it", async () => {
    const r = await call(list.POST, "POST", "/devices", {
      token: f.admin,
      body: { name: "Room 1", address: "127.30.0.1:8080", username: "admin", password: "dev-pass-1", site: "HQ", tags: ["floor1", "boardroom"] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: "Room 1", address: "127.30.0.1:8080", username: "admin", hasPassword: true, site: "HQ", tags: ["floor1", "boardroom"] });
    expect(JSON.stringify(r.body)).not.toContain("dev-pass-1");
    expect(r.body).not.toHaveProperty("password");
    id = r.body.id;
    const [row] = await (await getDb()).select().from(devices).where(eq(devices.id, id));
    expect(row.passwordEnc).toMatch(/^v1:/);
    expect(row.passwordEnc).not.toContain("dev-pass-1");
    expect((await getDeviceCredentials(id)).password).toBe("dev-pass-1");
  });

  it("rejects a duplicate address (409) and bad input (422 with fields)", async () => {
    const dup = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "Other", address: "127.30.0.1:8080" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("conflict");
    const bad = await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "", address: "nope" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["address", "name"]);
  });

  it("viewers read but cannot create, change or delete", async () => {
    expect((await call(list.POST, "POST", "/devices", { token: f.viewer, body: { name: "V", address: "127.30.0.9:8080" } })).status).toBe(403);
    expect((await call(one.PATCH, "PATCH", `/devices/${id}`, { token: f.viewer, params: { id }, body: { name: "x" } })).status).toBe(403);
    expect((await call(one.DELETE, "DELETE", `/devices/${id}`, { token: f.viewer, params: { id } })).status).toBe(403);
    const got = await call(one.GET, "GET", `/devices/${id}`, { token: f.viewer, params: { id } });
    expect(got.status).toBe(200);
    expect(got.body.name).toBe("Room 1");
  });

  it("PATCH changes given fields, keeps the password when absent, clears it when empty", async () => {
    const r = await call(one.PATCH, "PATCH", `/devices/${id}`, { token: f.admin, params: { id }, body: { name: "Room 1b", tags: ["x"] } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "Room 1b", tags: ["x"], hasPassword: true, site: "HQ" });
    expect((await getDeviceCredentials(id)).password).toBe("dev-pass-1");
    const cleared = await call(one.PATCH, "PATCH", `/devices/${id}`, { token: f.admin, params: { id }, body: { password: "" } });
    expect(cleared.body.hasPassword).toBe(false);
    const bad = await call(one.PATCH, "PATCH", `/devices/${id}`, { token: f.admin, params: { id }, body: { address: "x:99999" } });
    expect(bad.status).toBe(422);
  });

  it("GET lists with search, site, tag and paging", async () => {
    for (let i = 2; i <= 4; i++) {
      await call(list.POST, "POST", "/devices", {
        token: f.admin,
        body: { name: `Lab ${i}`, address: `127.30.0.${i}:8080`, site: i === 4 ? "Branch" : "HQ", tags: i === 3 ? ["x", "lab"] : [] },
      });
    }
    const all = await call(list.GET, "GET", "/devices", { token: f.viewer });
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((d: { name: string }) => d.name)).toEqual(["Lab 2", "Lab 3", "Lab 4", "Room 1b"]);
    const q = await call(list.GET, "GET", "/devices?q=lab", { token: f.viewer });
    expect(q.body.total).toBe(3);
    const site = await call(list.GET, "GET", "/devices?site=Branch", { token: f.viewer });
    expect(site.body.items.map((d: { name: string }) => d.name)).toEqual(["Lab 4"]);
    const tag = await call(list.GET, "GET", "/devices?tag=x", { token: f.viewer });
    expect(tag.body.items.map((d: { name: string }) => d.name)).toEqual(["Lab 3", "Room 1b"]);
    const page = await call(list.GET, "GET", "/devices?limit=2&offset=2", { token: f.viewer });
    expect(page.body).toMatchObject({ total: 4 });
    expect(page.body.items.map((d: { name: string }) => d.name)).toEqual(["Lab 4", "Room 1b"]);
    // A short last page derives the total without counting; a page past the end still counts.
    expect((await call(list.GET, "GET", "/devices?limit=3&offset=3", { token: f.viewer })).body).toMatchObject({ total: 4, items: [{ name: "Room 1b" }] });
    expect((await call(list.GET, "GET", "/devices?limit=3&offset=9", { token: f.viewer })).body).toEqual({ total: 4, items: [], staleAfterS: 45 });
    const pct = await call(list.GET, "GET", "/devices?q=%25", { token: f.viewer });
    expect(pct.body.total).toBe(0); // "%" is a literal, not a wildcard
    const badLimit = await call(list.GET, "GET", "/devices?limit=abc", { token: f.viewer });
    expect(badLimit.status).toBe(422);
  });

  it("DELETE removes (204), then 404; unknown/malformed ids are 404", async () => {
    expect((await call(one.DELETE, "DELETE", `/devices/${id}`, { token: f.admin, params: { id } })).status).toBe(204);
    expect((await call(one.GET, "GET", `/devices/${id}`, { token: f.admin, params: { id } })).status).toBe(404);
    const r = await call(one.GET, "GET", "/devices/not-a-uuid", { token: f.admin, params: { id: "not-a-uuid" } });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "not_found", message: "Device not found" });
  });

  it("every change is in the audit log", async () => {
    const rows = await (await getDb()).select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["device.create", "device.update", "device.delete"]));
    expect(JSON.stringify(rows)).not.toContain("dev-pass-1");
  });
});

describe("CSV import/export", () => {
  const header = "name,address,username,password,site,tags";

  it("imports all rows (200 {created}) with tags split on ';'", async () => {
    const csv = `${header}\nA1,127.31.0.1:80,u,p1,S1,a;b\n\nA2,127.31.0.2:80,,,S2,\n`;
    const before = await count();
    const r = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: csv, headers: { "content-type": "text/csv" } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ created: 2 });
    expect(await count()).toBe(before + 2);
    const a1 = await call(list.GET, "GET", "/devices?q=127.31.0.1", { token: f.admin });
    expect(a1.body.items[0]).toMatchObject({ name: "A1", tags: ["a", "b"], hasPassword: true, site: "S1" });
  });

  it("is all-or-nothing: row errors (spreadsheet numbering) and nothing stored", async () => {
    const csv = [
      header,
      "B1,127.32.0.1:80,,,,", // row 2 ok
      ",127.32.0.2:80,,,,", // row 3: name missing
      "B3,127.32.0.1:80,,,,", // row 4: duplicate of row 2
      "B4,127.31.0.1:80,,,,", // row 5: already in the DB (stage 2, after the file itself is clean)
      "B5,bad-address,,,,", // row 6
    ].join("\n");
    const before = await count();
    const r = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: csv });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("csv_invalid");
    expect(r.body.error.rows).toEqual([
      { row: 3, field: "name", message: "Name is required" },
      { row: 4, field: "address", message: "Address 127.32.0.1:80 is also on row 2" },
      { row: 6, field: "address", message: expect.stringContaining("host:port") },
    ]);
    expect(await count()).toBe(before);

    const clash = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: `${header}\nC1,127.33.0.1:80,,,,\nC2,127.31.0.2:80,,,,` });
    expect(clash.status).toBe(422);
    expect(clash.body.error.rows).toEqual([{ row: 3, field: "address", message: "A device with this address already exists" }]);
    expect(await count()).toBe(before);
  });

  it("reports missing and unknown columns on row 1; viewers cannot import", async () => {
    const r = await call(importRoute.POST, "POST", "/devices/import", { token: f.admin, text: "name,adress\nx,1.2.3.4:80" });
    expect(r.status).toBe(422);
    expect(r.body.error.rows).toEqual([
      { row: 1, field: "address", message: 'Missing column "address"' },
      { row: 1, field: "adress", message: expect.stringContaining('Unknown column "adress"') },
    ]);
    const v = await call(importRoute.POST, "POST", "/devices/import", { token: f.viewer, text: `${header}\nZ,127.34.0.1:80,,,,` });
    expect(v.status).toBe(403);
  });

  it("exports CSV without passwords, formulas neutralised", async () => {
    await call(list.POST, "POST", "/devices", { token: f.admin, body: { name: "=HYPERLINK(1)", address: "127.35.0.1:80", password: "topsecret" } });
    const r = await call(exportRoute.GET, "GET", "/devices/export.csv", { token: f.viewer });
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toContain("text/csv");
    const lines = (r.body as string).split(/\r?\n/);
    expect(lines[0]).toBe("name,address,username,site,tags,driver,model,mac,sipAddress");
    expect(lines).toContain("A1,127.31.0.1:80,u,S1,a;b,api,mt505,,");
    expect(r.body).not.toContain("topsecret");
    expect(r.body).not.toContain("p1");
    expect(lines.some((l) => l.startsWith("\"'=HYPERLINK") || l.startsWith("'=HYPERLINK"))).toBe(true);
  });
});
