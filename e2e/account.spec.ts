// Two-step sign-in from the browser (issue 13): /account sets it up (a QR code that decodes to the otpauth URI of the
// secret shown beside it, confirmed with a code), sign-in then asks for the code, and turning it off needs one; an
// admin resets another user's on /users behind a confirmation, and the audit log records it. At 390 px, axe-clean.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import jsQR from "jsqr";
import { generate } from "otplib";
import { PNG } from "pngjs";
import { adminCredentials, apiToken, bearer, login, unique, type Credentials } from "./helpers";

const PHONE_WIDTH = { width: 390, height: 844 };
const codeAt = (secret: string, offsetS: number) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetS });

async function axeClean(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`), `axe on ${what}`).toEqual([]);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${what} is ${scrollWidth} px wide`).toBeLessThanOrEqual(page.viewportSize()!.width);
}

/** Reads the QR code on the page the way a phone camera would: from pixels. */
async function decodeQr(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.getByTestId("totp-qr").screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

const made: string[] = [];
async function makeUser(request: APIRequestContext, role: "viewer" | "admin" = "viewer"): Promise<Credentials & { id: string }> {
  const token = await apiToken(request, adminCredentials());
  const user = { username: unique("twostep"), password: "two-step-pass-1" };
  const res = await request.post("/api/v1/users", { headers: bearer(token), data: { ...user, role } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  made.push(id);
  return { ...user, id };
}

test.afterAll(async ({ request }) => {
  const token = await apiToken(request, adminCredentials());
  for (const id of made) await request.delete(`/api/v1/users/${id}`, { headers: bearer(token) });
});

test("a user sets up two-step sign-in on /account at 390 px, signs in with a code, and turns it off with one", async ({ page, request }) => {
  test.setTimeout(180_000); // three axe runs and two sign-ins on a shared 2-core machine
  await page.setViewportSize(PHONE_WIDTH);
  const user = await makeUser(request);
  await login(page, user.username, user.password);
  await page.getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  await expect(page.getByTestId("totp-state")).toHaveText("Off");
  await axeClean(page, "/account (off)");

  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  const uri = await decodeQr(page);
  expect(uri).toMatch(new RegExp(`^otpauth://totp/SIP%20Admin%20Portal:${user.username}\\?`));
  expect(new URL(uri!).searchParams.get("secret")).toBe(secret);
  await axeClean(page, "/account (set-up with the QR code)");

  // A wrong code is refused on the field (and leaves it off); the right one turns it on.
  const field = page.getByLabel("Authenticator code");
  const right = await codeAt(secret, -30);
  await field.fill(right === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/This code is not valid/)).toBeVisible();
  await field.fill(right);
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("totp-notice")).toContainText("Two-step sign-in is on");
  await expect(page.getByTestId("totp-state")).toHaveText("On");
  await axeClean(page, "/account (on)");

  // Signing in now asks for the code after the password.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Authenticator code").fill(await codeAt(secret, 0));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);

  // Off needs a current code (the next step's: a used step is refused on purpose).
  await page.goto("/account");
  await page.getByLabel("Authenticator code").fill(await codeAt(secret, 30));
  await page.getByRole("button", { name: "Turn off two-step sign-in" }).click();
  await expect(page.getByTestId("totp-state")).toHaveText("Off");
  expect((await request.post("/api/v1/session", { data: { username: user.username, password: user.password } })).status()).toBe(200);
});

test("an admin resets another user's two-step sign-in behind a confirmation; it is audited", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(PHONE_WIDTH);
  const user = await makeUser(request);
  const token = await apiToken(request, user);
  const setup = (await (await request.post("/api/v1/account/totp", { headers: bearer(token) })).json()) as { secret: string };
  expect((await request.post("/api/v1/account/totp/confirm", { headers: bearer(token), data: { code: await codeAt(setup.secret, -30) } })).ok()).toBe(true);
  const signIn = () => request.post("/api/v1/session", { data: { username: user.username, password: user.password } });
  expect(((await (await signIn()).json()) as { error: { code: string } }).error.code).toBe("totp_required");

  await login(page, adminCredentials().username, adminCredentials().password);
  await page.goto("/users");
  const row = page.locator(`[data-testid="user-row"][data-username="${user.username}"]`);
  await expect(row).toContainText("On");
  const reset = row.getByRole("button", { name: `Reset two-step sign-in for ${user.username}` });
  // Cancel changes nothing.
  await reset.click();
  const dialog = page.getByRole("dialog", { name: "Reset two-step sign-in" });
  await expect(dialog).toContainText(user.username);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await signIn()).status()).toBe(401);

  await reset.click();
  await page.getByRole("dialog", { name: "Reset two-step sign-in" }).getByRole("button", { name: "Reset two-step sign-in" }).click();
  await expect(page.getByTestId("users-notice")).toContainText(`Two-step sign-in reset for ${user.username}`);
  await expect(row).toContainText("Off");
  await expect(reset).toHaveCount(0);
  expect((await signIn()).status()).toBe(200);

  const admin = await apiToken(request, adminCredentials());
  const audit = (await (await request.get("/api/v1/audit?action=totp.reset", { headers: bearer(admin) })).json()) as { items: Array<{ actor: string; targetId: string }> };
  expect(audit.items.filter((e) => e.targetId === user.id)).toEqual([expect.objectContaining({ actor: adminCredentials().username })]);
});
