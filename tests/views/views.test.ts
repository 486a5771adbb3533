// Saved device-list views per user against a real PostgreSQL (create, list by name, delete; names unique per user;
// another user's view is not found; bad filters and columns refused with the field), and the list's firmware:
// null ("not read yet") until the phone reported one, then the version with when it was read.
import { describe, expect, it } from "vitest";
import * as views from "@/app/api/v1/views/route";
import * as oneView from "@/app/api/v1/views/[id]/route";
import * as list from "@/app/api/v1/devices/route";
import { createDevice } from "@/lib/inventory/devices";
import { readFirmware } from "@/lib/push/firmware";
import { DeviceError } from "@/lib/device";
import type { DeviceDriver } from "@/lib/device/drivers";
import { CAPABILITIES } from "@/lib/device/kinds";
import { savedViewListSchema, savedViewSchema } from "@/lib/views/schemas";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();

describe("saved views", () => {
  it("a user saves, lists and deletes their own views; names are theirs alone", async () => {
    const body = { name: "Failed over in Berlin", filter: { site: "berlin", status: "failed_over" }, sort: "extension", dir: "desc", columns: ["firmware", "extension"] };
    const created = await call(views.POST, "POST", "/views", { token: f.viewer, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const view = savedViewSchema.parse(created.body);
    expect(view).toMatchObject(body);

    // The same name again: 409 on the name; another user may use it.
    const again = await call(views.POST, "POST", "/views", { token: f.viewer, body });
    expect(again.status).toBe(409);
    expect(again.body.error.fields.name).toMatch(/already have a view/);
    expect((await call(views.POST, "POST", "/views", { token: f.admin, body: { name: "Failed over in Berlin", columns: [] } })).status).toBe(201);
    await call(views.POST, "POST", "/views", { token: f.viewer, body: { name: "All", columns: ["model"] } });

    const mine = savedViewListSchema.parse((await call(views.GET, "GET", "/views", { token: f.viewer })).body);
    expect(mine.views.map((v) => v.name)).toEqual(["All", "Failed over in Berlin"]);
    expect(mine.views[0]).toMatchObject({ filter: {}, sort: "name", dir: "asc", columns: ["model"] });
    const theirs = savedViewListSchema.parse((await call(views.GET, "GET", "/views", { token: f.admin })).body);
    expect(theirs.views.map((v) => v.name)).toEqual(["Failed over in Berlin"]);

    // Another user's view is not theirs to delete.
    expect((await call(oneView.DELETE, "DELETE", `/views/${view.id}`, { token: f.admin, params: { id: view.id } })).status).toBe(404);
    expect((await call(oneView.DELETE, "DELETE", `/views/${view.id}`, { token: f.viewer, params: { id: view.id } })).status).toBe(204);
    expect((await call(oneView.DELETE, "DELETE", `/views/${view.id}`, { token: f.viewer, params: { id: view.id } })).status).toBe(404);
    expect((await call(oneView.DELETE, "DELETE", "/views/not-an-id", { token: f.viewer, params: { id: "not-an-id" } })).status).toBe(404);
    const after = savedViewListSchema.parse((await call(views.GET, "GET", "/views", { token: f.viewer })).body);
    expect(after.views.map((v) => v.name)).toEqual(["All"]);
  });

  it("refuses a view without a name, with an unknown filter value or column, naming the field", async () => {
    const bad = async (body: unknown) => (await call(views.POST, "POST", "/views", { token: f.viewer, body })).body.error;
    expect((await bad({ name: "  ", columns: [] })).fields.name).toBe("Give the view a name");
    expect((await bad({ name: "x", filter: { status: "sleeping" }, columns: [] })).fields["filter.status"]).toMatch(/failed_over/);
    expect((await bad({ name: "x", columns: ["colour"] })).fields["columns.0"]).toMatch(/firmware/);
    expect((await bad({ name: "x", columns: ["model", "model"] })).fields.columns).toMatch(/twice/);
    expect((await call(views.GET, "GET", "/views")).status).toBe(401);
  });
});

describe("firmware in the list", () => {
  const driver = (info: DeviceDriver["info"], kind: "api" | "provisioning" = "api") =>
    (async () => ({ kind, capabilities: CAPABILITIES[kind], info }) as unknown as DeviceDriver);

  it("is null until the phone reported it, then the version and when it was read; a failed read keeps the last one", async () => {
    // 127.64.4.x: nothing is contacted (the driver is a stand-in); the address only has to be unique.
    const d = await createDevice({ name: "fw-phone", address: "127.64.4.1:8080" }, "test");
    const item = async () => (await call(list.GET, "GET", "/devices?q=fw-phone", { token: f.viewer })).body.items[0];
    expect((await item()).firmware).toBeNull();

    expect(await readFirmware(d.id, driver(async () => ({ model: "Spider MT505", firmware: "2.4.1", serial: "s", mac: "m", uptimeS: 1 })))).toBe(true);
    const first = (await item()).firmware;
    expect(first).toMatchObject({ version: "2.4.1" });
    expect(Date.now() - Date.parse(first.readAt)).toBeLessThan(60_000);

    // Unreachable: nothing replaced, the version stays with its old read time.
    expect(await readFirmware(d.id, driver(async () => { throw new DeviceError("unreachable", "127.64.4.1:8080", "no route"); }))).toBe(false);
    expect((await item()).firmware).toEqual(first);

    // A provisioning phone is never asked.
    let asked = false;
    const p = await createDevice({ name: "fw-prov", address: "127.64.4.2:8080" }, "test");
    expect(await readFirmware(p.id, driver(async () => { asked = true; throw new Error("must not be called"); }, "provisioning"))).toBe(false);
    expect(asked).toBe(false);
  });
});
