import { expect, test } from "@playwright/test";
import { addOwnPhone, removeOwnPhone } from "./fleet";
import { adminCredentials, createDeviceViaApi, login, readFromPhone, unique, uniqueAddress } from "./helpers";

// The device list (issue 15): search finds a SIP extension, columns sort on the server, a column chooser.
// Phones of this spec: emulator octets 150–159.
test("search finds an extension; sort by name both ways; the column chooser hides and shows columns", async ({ page, request }) => {
  test.setTimeout(120_000); // three devices, a read and two reloads: past 60 s on a loaded machine
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const ext = String(1900 + Math.floor(Math.random() * 99));
  const phone = await addOwnPhone(request, 150, { "voip/line/0/id": ext });
  try {
    const prefix = unique("sort");
    const res = await page.request.post("/api/v1/devices", { data: { name: `${prefix}-b`, address: phone.address, username: phone.username, password: phone.password } });
    expect(res.status(), await res.text()).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    await createDeviceViaApi(request, { name: `${prefix}-a`, address: uniqueAddress() });
    await createDeviceViaApi(request, { name: `${prefix}-c`, address: uniqueAddress() });
    // The portal reads the phone (its stored config holds the extension).
    await readFromPhone(page.request, id);

    await page.goto(`/devices?q=${ext}`);
    const table = page.getByRole("table", { name: "Devices" });
    await expect(table.getByRole("row")).toHaveCount(2); // header + the phone
    await expect(table.getByRole("link", { name: `${prefix}-b` })).toBeVisible();
    await expect(table.getByRole("cell", { name: ext, exact: true })).toBeVisible();

    await page.goto(`/devices?q=${prefix}`);
    const names = () => table.getByRole("link", { name: new RegExp(`^${prefix}`) }).allTextContents();
    await expect.poll(names).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    await table.getByRole("button", { name: /^Name/ }).click();
    await expect(page).toHaveURL(/dir=desc/);
    await expect.poll(names).toEqual([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);
    await expect(table.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "descending");

    await expect(table.getByRole("columnheader", { name: /SIP extension/ })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: /^Model/ })).toHaveCount(0);
    await page.getByText("Columns", { exact: true }).click();
    await page.getByRole("checkbox", { name: "SIP extension" }).uncheck();
    await page.getByRole("checkbox", { name: "Model" }).check();
    await expect(table.getByRole("columnheader", { name: /SIP extension/ })).toHaveCount(0);
    await expect(table.getByRole("columnheader", { name: /^Model/ })).toBeVisible();
    await expect(page).toHaveURL(/cols=model%2ClastSeen|cols=model,lastSeen/);
    // The view survives a reload (it is in the URL).
    await page.reload();
    await expect(table.getByRole("columnheader", { name: /^Model/ })).toBeVisible();
    await expect.poll(names).toEqual([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);
  } finally {
    await removeOwnPhone(request, phone);
  }
});

// Firmware (issue 15): shown only as the phone reported it (the portal reads it with its own first read of a new
// phone); a device that never answered says "not read yet". Saved views: the current filter + sort + columns saved
// under a name, applied again from a cleared list, then deleted.
test("the firmware column shows what the phone reported or 'not read yet'; a saved view brings filter, sort and columns back", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const phone = await addOwnPhone(request, 151);
  try {
    const site = unique("views");
    const res = await page.request.post("/api/v1/devices", { data: { name: `${site}-real`, address: phone.address, username: phone.username, password: phone.password, site } });
    expect(res.status(), await res.text()).toBe(201);
    await createDeviceViaApi(request, { name: `${site}-silent`, address: uniqueAddress(), site });

    await page.goto(`/devices?site=${site}&cols=firmware,extension&sort=name&dir=desc`);
    const table = page.getByRole("table", { name: "Devices" });
    await expect(table.getByRole("columnheader", { name: /Firmware/ })).toBeVisible();
    const row = (name: string) => table.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    // The emulator's firmware, read by the portal itself (no page asked for it); the list refetches on status events.
    await expect(async () => {
      await page.reload();
      await expect(row(`${site}-real`)).toContainText("2.4.1-emu", { timeout: 2_000 });
    }).toPass({ timeout: 45_000 });
    await expect(row(`${site}-silent`)).toContainText("not read yet");

    // Save this view.
    const views = page.getByTestId("saved-views");
    await views.getByText(/^Saved views/).click();
    const viewName = `${site} newest first`;
    await page.getByLabel("View name").fill(viewName);
    await page.getByRole("button", { name: "Save current view" }).click();
    await expect(page.getByTestId("saved-views-status")).toHaveText(`Saved view "${viewName}".`);
    await expect(page.getByRole("button", { name: `Show view ${viewName}` })).toBeVisible();

    // A plain list: default columns, no filter.
    await page.goto("/devices");
    await expect(table.getByRole("columnheader", { name: /Firmware/ })).toHaveCount(0);
    await page.getByTestId("saved-views").getByText(/^Saved views/).click();
    await page.getByRole("button", { name: `Show view ${viewName}` }).click();
    await expect(page).toHaveURL(new RegExp(`site=${site}`));
    await expect(page).toHaveURL(/dir=desc/);
    await expect(page).toHaveURL(/cols=firmware%2Cextension|cols=firmware,extension/);
    await expect(table.getByRole("columnheader", { name: /Firmware/ })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: /Last seen/ })).toHaveCount(0);
    await expect.poll(() => table.getByRole("link", { name: new RegExp(`^${site}`) }).allTextContents()).toEqual([`${site}-silent`, `${site}-real`]);
    // The column chooser follows the applied view.
    await page.getByText("Columns", { exact: true }).click();
    await expect(page.getByRole("checkbox", { name: "Firmware" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Last seen" })).not.toBeChecked();
    await page.getByText("Columns", { exact: true }).click();

    // Saving the same name again is refused with a clear message; then the view is deleted.
    await page.getByTestId("saved-views").getByText(/^Saved views/).click();
    await page.getByLabel("View name").fill(viewName);
    await page.getByRole("button", { name: "Save current view" }).click();
    await expect(page.getByText("You already have a view with this name")).toBeVisible();
    await page.getByRole("button", { name: `Delete view ${viewName}` }).click();
    await expect(page.getByTestId("saved-views-status")).toHaveText(`Deleted view "${viewName}".`);
    await expect(page.getByRole("button", { name: `Show view ${viewName}` })).toHaveCount(0);
  } finally {
    await removeOwnPhone(request, phone);
  }
});
