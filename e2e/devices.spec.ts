import { expect, test, type Page } from "@playwright/test";
import { adminCredentials, apiToken, bearer, createDeviceViaApi, createViewer, login, unique, uniqueAddress } from "./helpers";

const table = (page: Page) => page.getByRole("table", { name: "Devices" });
const dialog = (page: Page, name: string | RegExp) => page.getByRole("dialog", { name });

async function search(page: Page, text: string) {
  await page.getByLabel("Search", { exact: true }).fill(text);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text)}`));
}

test.describe("device inventory (admin)", () => {
  test.beforeEach(async ({ page }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
  });

  test("add through the dialog, find by search, site and tag, edit, remove", async ({ page, request }) => {
    const name = unique("e2e-dev");
    const address = uniqueAddress();
    const site = unique("site");
    const tag = unique("tag");

    await page.getByRole("button", { name: "Add device" }).click();
    const add = dialog(page, "Add device");
    await add.getByLabel("Name", { exact: true }).fill(name);
    await add.getByLabel("Address", { exact: true }).fill(address);
    await add.getByLabel("API username", { exact: true }).fill("apiuser");
    await add.getByLabel("API password", { exact: true }).fill("api-secret");
    await add.getByLabel("Site", { exact: true }).fill(site);
    await add.getByLabel("Tags", { exact: true }).fill(`e2e, ${tag}`);
    await add.getByRole("button", { name: "Add device" }).click();
    await expect(add).toBeHidden();
    await expect(page.getByTestId("devices-notice")).toHaveText(`Device ${name} added.`);

    // Search by name (reflected in the URL) finds exactly this device.
    await search(page, name);
    const row = table(page).getByRole("row").filter({ hasText: name });
    await expect(table(page).getByRole("row")).toHaveCount(2); // header + 1
    await expect(row).toContainText(address);
    await expect(row).toContainText(site);
    // Nobody answers at this address: the poller reports it, live, in the registration column.
    await expect(row.getByTestId("status-badge")).toHaveAttribute("data-state", "unreachable", { timeout: 30_000 });
    await expect(row.getByRole("link", { name })).toHaveAttribute("href", /^\/devices\/[^/]+$/);

    // Search by address, then filter by site and by tag.
    await search(page, address);
    await expect(row).toBeVisible();
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByLabel("Site", { exact: true }).fill(site);
    await expect(page).toHaveURL(new RegExp(`site=${site}`));
    await expect(table(page).getByRole("row")).toHaveCount(2);
    await page.getByLabel("Site", { exact: true }).fill("");
    await page.getByLabel("Tag", { exact: true }).fill(tag);
    // Exactly the tag: clearing Site just before must not be undone by the tag filter's commit.
    await expect(page).toHaveURL(new RegExp(`/devices\\?tag=${tag}$`));
    await expect(table(page).getByRole("row")).toHaveCount(2);
    await expect(row).toBeVisible();
    // The filter survives a reload (it lives in the URL).
    await page.reload();
    await expect(page.getByLabel("Tag", { exact: true })).toHaveValue(tag);
    await expect(row).toBeVisible();

    // Edit: the password field starts blank and leaving it blank keeps the stored password.
    const newSite = unique("site2");
    await row.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = dialog(page, `Edit ${name}`);
    await expect(edit.getByLabel("Name", { exact: true })).toHaveValue(name);
    await expect(edit.getByLabel("API password", { exact: true })).toHaveValue("");
    await expect(edit.getByText("A password is stored. Leave blank to keep it.")).toBeVisible();
    await edit.getByLabel("Site", { exact: true }).fill(newSite);
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByTestId("devices-notice")).toHaveText(`Device ${name} updated.`);
    await expect(row).toContainText(newSite);

    const token = await apiToken(request, adminCredentials());
    const listed = await request.get(`/api/v1/devices?q=${encodeURIComponent(name)}`, { headers: bearer(token) });
    const { items } = (await listed.json()) as { items: { site: string; hasPassword: boolean; username: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ site: newSite, hasPassword: true, username: "apiuser" });

    // Remove, with confirmation.
    await row.getByRole("button", { name: `Remove ${name}` }).click();
    const confirm = dialog(page, "Remove device");
    await expect(confirm).toContainText(name);
    await confirm.getByRole("button", { name: "Remove" }).click();
    await expect(page.getByTestId("devices-notice")).toHaveText(`Device ${name} removed.`);
    await expect(page.getByTestId("devices-empty")).toHaveText("No devices match these filters.");
  });

  test("an invalid address is flagged on the field; a duplicate address gets the server's message", async ({ page, request }) => {
    await page.getByRole("button", { name: "Add device" }).click();
    const add = dialog(page, "Add device");
    const addressField = add.getByLabel("Address", { exact: true });
    await add.getByLabel("Name", { exact: true }).fill(unique("e2e-bad"));
    await addressField.fill("not-an-address");
    await add.getByRole("button", { name: "Add device" }).click();
    await expect(addressField).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await addressField.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
    expect(errorId, `aria-describedby="${describedBy}" names the error`).toBeTruthy();
    await expect(page.locator(`[id="${errorId}"]`)).toHaveText("Address must be host:port, e.g. 192.0.2.10:80");
    await expect(add.getByLabel("Name", { exact: true })).not.toHaveAttribute("aria-invalid", "true");

    // Valid in the browser but taken: the server's 409 lands on the Address field.
    const taken = uniqueAddress();
    await createDeviceViaApi(request, { name: unique("e2e-taken"), address: taken });
    await addressField.fill(taken);
    await add.getByRole("button", { name: "Add device" }).click();
    await expect(add.getByText("A device with this address already exists")).toBeVisible();
    await expect(addressField).toHaveAttribute("aria-invalid", "true");
    await expect(add).toBeVisible();
  });

  test("CSV import: a bad row lists row errors and imports nothing; a good file imports and pages", async ({ page }) => {
    const prefix = unique("e2e-csv");
    const tag = unique("csvtag");
    const bad = [
      "name,address,username,password,site,tags",
      `${prefix}-ok,${uniqueAddress()},u,p,lab,${tag}`,
      `${prefix}-broken,no-port-here,u,p,lab,${tag}`,
    ].join("\n");

    await page.getByRole("button", { name: "Import CSV" }).click();
    const imp = dialog(page, "Import devices from CSV");
    await imp.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await expect(imp.getByTestId("import-preview")).toContainText("2 devices in bad.csv");
    await imp.getByRole("button", { name: "Import 2 devices" }).click();
    const errors = imp.getByRole("table", { name: "Rows with errors" });
    await expect(errors).toBeVisible();
    const errRow = errors.getByRole("row").filter({ hasText: "address" });
    await expect(errRow.getByRole("cell").nth(0)).toHaveText("3");
    await expect(errRow.getByRole("cell").nth(2)).toContainText("host:port");
    await expect(imp.getByTestId("import-error")).toContainText("nothing was imported");
    await imp.getByRole("button", { name: "Cancel" }).click();
    await search(page, prefix);
    await expect(page.getByTestId("devices-empty")).toBeVisible();

    // A good file of 30 devices: all imported, and the server pages them.
    const lines = ["name,address,username,password,site,tags"];
    for (let i = 0; i < 30; i++) lines.push(`${prefix}-${String(i).padStart(2, "0")},${uniqueAddress()},,,lab,${tag};e2e`);
    await page.getByRole("button", { name: "Import CSV" }).click();
    await imp.getByLabel("CSV file").setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
    await expect(imp.getByTestId("import-preview")).toContainText("30 devices in good.csv");
    await imp.getByRole("button", { name: "Import 30 devices" }).click();
    await expect(imp).toBeHidden();
    await expect(page.getByTestId("devices-notice")).toHaveText("Imported 30 devices.");
    await expect(page.getByTestId("device-count")).toHaveText("30 matching");

    await page.getByLabel("Per page").selectOption("25");
    await expect(page.getByTestId("page-range")).toHaveText("Showing 1–25 of 30");
    await expect(table(page).getByRole("row")).toHaveCount(26);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByTestId("page-range")).toHaveText("Showing 26–30 of 30");
    await expect(table(page).getByRole("row")).toHaveCount(6);

    // Export CSV downloads the inventory, including the imported devices.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(file, "utf8");
    expect(csv.split("\n")[0]).toContain("name,address");
    expect(csv).toContain(`${prefix}-29`);
  });
});

test.describe("device inventory (viewer)", () => {
  test("a viewer sees the list but no change buttons, and the API refuses viewer writes", async ({ page, request }) => {
    const name = unique("e2e-view");
    const id = await createDeviceViaApi(request, { name, address: uniqueAddress() });
    const viewer = await createViewer(request);

    await login(page, viewer.username, viewer.password);
    await expect(page.getByRole("banner").getByTestId("signed-in-user")).toContainText("viewer");
    await search(page, name);
    await expect(table(page).getByRole("link", { name })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add device" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Import CSV" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: `Edit ${name}` })).toHaveCount(0);
    await expect(page.getByRole("button", { name: `Remove ${name}` })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();

    const token = await apiToken(request, viewer);
    const post = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: unique("nope"), address: uniqueAddress() } });
    expect(post.status()).toBe(403);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    const patch = await request.patch(`/api/v1/devices/${id}/config`, { headers: bearer(token), data: { values: {} } });
    expect(patch.status()).toBe(403);
    const del = await request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
    expect(del.status()).toBe(403);
  });
});
