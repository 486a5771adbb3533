// The audit page: a sign-in and a device creation show up with who/what/target, details expand, and the
// action filter narrows the server-side query.
import { expect, test } from "@playwright/test";
import { adminCredentials, createDeviceViaApi, login, unique, uniqueAddress } from "./helpers";

test("the audit page lists the sign-in and a device creation and filters by action", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const name = unique("audit-dev");
  const address = uniqueAddress();
  await createDeviceViaApi(request, { name, address });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const table = page.getByTestId("audit-table");
  const rows = table.getByTestId("audit-row");
  const actions = table.getByTestId("audit-action");

  const created = rows.filter({ hasText: name });
  await expect(created).toHaveCount(1);
  await expect(created).toContainText("device.create");
  await expect(created).toContainText(username);
  await expect(rows.filter({ has: page.getByTestId("audit-action").getByText("login", { exact: true }) }).first()).toContainText(username);

  await created.getByRole("button", { name: "Details" }).click();
  await expect(table).toContainText(`"address": "${address}"`);

  // Only device creations: the server answers a narrower list (the old one must not linger).
  await page.getByLabel("Action").selectOption("device.create");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(async () => [...new Set(await actions.allTextContents())]).toEqual(["device.create"]);
  await expect(rows.filter({ hasText: name })).toHaveCount(1);

  // Sign-ins only: the device creation is gone, the admin's login is listed.
  await page.getByLabel("Action").selectOption("login");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect.poll(async () => [...new Set(await actions.allTextContents())].every((a) => a.startsWith("login"))).toBe(true);
  await expect(rows.filter({ hasText: name })).toHaveCount(0);
  await expect(rows.first()).toContainText(username);
});
