import { expect, test } from "@playwright/test";
import { adminCredentials, login } from "./helpers";

test.describe("sign-in", () => {
  test("anonymous visitors of /devices are sent to /login", async ({ page }) => {
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Username")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });

  test("the API answers anonymous requests with 401 JSON", async ({ request }) => {
    const res = await request.get("/api/v1/devices");
    expect(res.status()).toBe(401);
    expect(res.headers()["content-type"]).toContain("application/json");
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthenticated");
    expect(body.error.message).not.toBe("");
  });

  test("health and the API description answer anonymous requests (a load balancer has no session)", async ({ request }) => {
    const health = await request.get("/api/v1/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await request.get("/api/v1/openapi.json")).status()).toBe(200);
  });

  test("a wrong password shows a clear error and stays on /login", async ({ page }) => {
    const { username } = adminCredentials();
    await page.goto("/login");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toHaveText("Wrong username or password");
    await expect(page).toHaveURL(/\/login/);
    // Still anonymous.
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login/);
  });

  test("an admin signs in, sees who is signed in, and signs out", async ({ page }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    await expect(page).toHaveURL(/\/devices$/);
    await expect(page.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
    const banner = page.getByRole("banner");
    await expect(banner.getByTestId("signed-in-user")).toContainText(username);
    await expect(banner.getByTestId("signed-in-user")).toContainText("admin");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Devices" })).toHaveAttribute("aria-current", "page");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login/);
  });

  test("after sign-in the portal goes to ?next= (same-site paths only)", async ({ page }) => {
    const { username, password } = adminCredentials();
    await page.goto("/login?next=%2Fdevices%3Fq%3Dnext-target");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/devices\?q=next-target$/);
    await expect(page.getByLabel("Search")).toHaveValue("next-target");

    // An off-site target is ignored.
    await page.context().clearCookies();
    await page.goto("/login?next=%2F%2Fevil.example%2F");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/devices$/);
  });
});

test("an expired or invalid session on a deep page goes to /login?next=<that page> and back after sign-in", async ({ page, baseURL }) => {
  // The cookie is present (proxy.ts lets it through); requireUser() finds no session behind it.
  await page.context().addCookies([{ name: "sap_session", value: "expired-or-invalid-token", url: baseURL! }]);
  const target = "/devices/00000000-0000-4000-8000-000000000063?tab=status";
  await page.goto(target);
  await expect(page).toHaveURL((url) => url.pathname === "/login" && url.searchParams.get("next") === target);
  const { username, password } = adminCredentials();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname + url.search === target);
});

test("a signed-in user who opens /login goes straight to the portal", async ({ page }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  await page.goto("/login");
  await expect(page).toHaveURL(/\/devices$/);
});
