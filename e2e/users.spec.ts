import { expect, test, type Page } from "@playwright/test";
import { adminCredentials, apiToken, bearer, login, unique } from "./helpers";

// Tests share one database: every user created here has a unique name. The e2e admin is the only admin
// there, so "demote the last admin" targets it and must be refused.

const row = (page: Page, username: string) => page.locator(`[data-testid="user-row"][data-username="${username}"]`);

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test.describe("user administration", () => {
  // Three sign-ins (argon2) and a dozen dialogs: over a minute on a loaded 2-core machine.
  test.describe.configure({ mode: "serial", timeout: 150_000 });

  test("admin adds a viewer in the UI; the viewer signs in and sees no Users link; admin promotes, then deletes them", async ({ page }) => {
    const admin = adminCredentials();
    const viewer = { username: unique("ui-viewer"), password: "viewer-pass-ui-1" };
    await login(page, admin.username, admin.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();

    // The form checks the same rules as the server before sending.
    await page.getByRole("button", { name: "Add user" }).click();
    const dialog = page.getByRole("dialog", { name: "Add user" });
    await dialog.getByLabel("Username").fill(viewer.username);
    await dialog.getByLabel("Password").fill("short");
    await dialog.getByRole("button", { name: "Add user" }).click();
    await expect(dialog.getByText("Password must be at least 8 characters")).toBeVisible();
    await dialog.getByLabel("Password").fill(viewer.password);
    await dialog.getByLabel("Role", { exact: true }).selectOption("viewer");
    await dialog.getByRole("button", { name: "Add user" }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, viewer.username)).toContainText("viewer");

    // A taken username: the server's 409 lands on the Username field.
    await page.getByRole("button", { name: "Add user" }).click();
    await dialog.getByLabel("Username").fill(viewer.username);
    await dialog.getByLabel("Password").fill(viewer.password);
    await dialog.getByRole("button", { name: "Add user" }).click();
    await expect(dialog.getByText("This username is taken")).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await signOut(page);
    await login(page, viewer.username, viewer.password);
    await expect(page.getByTestId("signed-in-user")).toContainText(viewer.username);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Devices" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "Only admins can manage users" })).toBeVisible();
    await signOut(page);

    await login(page, admin.username, admin.password);
    await page.goto("/users");
    await row(page, viewer.username).getByRole("button", { name: `Change role of ${viewer.username}` }).click();
    const roleDialog = page.getByRole("dialog", { name: `Change role of ${viewer.username}` });
    await roleDialog.getByLabel("Role", { exact: true }).selectOption("admin");
    await roleDialog.getByRole("button", { name: "Save role" }).click();
    await expect(roleDialog).toBeHidden();
    await expect(row(page, viewer.username)).toContainText("admin");

    await row(page, viewer.username).getByRole("button", { name: `Delete ${viewer.username}` }).click();
    const confirm = page.getByRole("dialog", { name: "Delete user" });
    await expect(confirm).toContainText(viewer.username);
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(confirm).toBeHidden();
    await expect(row(page, viewer.username)).toHaveCount(0);
    await expect(page.getByTestId("users-notice")).toContainText(`User ${viewer.username} deleted.`);
  });

  test("demoting or deleting the last admin is refused, with the reason", async ({ page, request }) => {
    const admin = adminCredentials();
    await login(page, admin.username, admin.password);
    await page.goto("/users");
    const me = row(page, admin.username);
    await expect(me.getByRole("button", { name: `Change role of ${admin.username}` })).toBeDisabled();
    await expect(me.getByRole("button", { name: `Delete ${admin.username}` })).toBeDisabled();
    await expect(me.getByTestId("user-note")).toHaveText(/last admin cannot be made a viewer or deleted/);

    // The server refuses on its own too (never succeeds: the e2e admin stays an admin).
    const token = await apiToken(request, admin);
    const list = (await (await request.get("/api/v1/users", { headers: bearer(token) })).json()) as { items: { id: string; username: string; role: string }[] };
    const self = list.items.find((u) => u.username === admin.username)!;
    expect(list.items.filter((u) => u.role === "admin").map((u) => u.username)).toEqual([admin.username]);
    const res = await request.patch(`/api/v1/users/${self.id}`, { headers: bearer(token), data: { role: "viewer" } });
    expect(res.status()).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/last admin/);
    await page.reload();
    await expect(row(page, admin.username)).toContainText("admin");
  });
});
