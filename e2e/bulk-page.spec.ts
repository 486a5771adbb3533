import { expect, test } from "@playwright/test";
import { adminCredentials, login } from "./helpers";

// /bulk never means "every device" by accident.
test("a bare /bulk asks for a selection; every device must be chosen explicitly", async ({ page }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  await page.goto("/bulk");
  const ask = page.getByTestId("bulk-no-selection");
  await expect(ask).toContainText("No phones are selected");
  await expect(page.getByRole("button", { name: "Preview changes" })).toHaveCount(0);
  await ask.getByRole("link", { name: "Edit every device" }).click();
  await expect(page).toHaveURL(/\/bulk\?all=1$/);
  await expect(page.getByTestId("bulk-selection")).toContainText("all devices");
});
