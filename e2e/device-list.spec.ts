import { expect, test } from "@playwright/test";
import { addOwnPhone, removeOwnPhone } from "./fleet";
import { adminCredentials, createDeviceViaApi, login, readFromPhone, unique, uniqueAddress } from "./helpers";

// The device list (issue 15): search finds a SIP extension, columns sort on the server, a column chooser.
// Phones of this spec: emulator octets 150–159.
test("search finds an extension; sort by name both ways; the column chooser hides and shows columns", async ({ page, request }) => {
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
