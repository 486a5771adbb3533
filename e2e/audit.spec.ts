// The audit page: a sign-in and a device creation show up with who/what/target, details expand, and the
// action filter narrows the server-side query.
import { expect, test } from "@playwright/test";
import { adminCredentials, apiToken, bearer, createDeviceViaApi, login, unique, uniqueAddress } from "./helpers";

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
  // Details read as facts (no raw JSON unless asked for).
  const details = table.getByTestId("audit-details");
  await expect(details.getByRole("term").filter({ hasText: /^Address$/ })).toBeVisible();
  await expect(details.getByRole("definition").filter({ hasText: address })).toBeVisible();
  await expect(details.getByText(`"address": "${address}"`)).toBeHidden();
  await details.getByText("Raw JSON").click();
  await expect(details.getByText(`"address": "${address}"`)).toBeVisible();

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

test("audit details: a change reads as a before/after table; the portal's own actions read as the system", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  const token = await apiToken(request, adminCredentials());
  const name = unique("audit-upd");
  const id = await createDeviceViaApi(request, { name, address: uniqueAddress(), site: "Before-site" });
  expect((await request.patch(`/api/v1/devices/${id}`, { headers: bearer(token), data: { site: "After-site" } })).status()).toBe(200);

  await login(page, username, password);
  await page.goto("/audit");
  const table = page.getByTestId("audit-table");
  const updated = table.getByTestId("audit-row").filter({ hasText: name }).filter({ hasText: "device.update" });
  await expect(updated).toContainText("Changed a device");
  await updated.getByRole("button", { name: "Details" }).click();
  const changes = table.getByTestId("audit-changes");
  const row = changes.getByRole("row").filter({ hasText: "site" });
  await expect(row.getByRole("cell").nth(0)).toHaveText("Before-site");
  await expect(row.getByRole("cell").nth(1)).toHaveText("After-site");

  // The first admin was created by the portal at start: its actor is the system, shown as such.
  await page.getByLabel("Actor").fill("system");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(table.getByTestId("system-actor").first()).toContainText("System");
});
