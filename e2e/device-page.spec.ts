import { expect, test, type Page } from "@playwright/test";
import { addOwnPhone, control, deviceConfig, removeOwnPhone, type FleetPhone } from "./fleet";
import { adminCredentials, login, readFromPhone, unique, uniqueAddress } from "./helpers";

// The device page as an administrator meets it (issue 15): keyboard only, Enter never pushes, focus never
// hides behind the sticky save bar, drift answers are confirmed with what they change, 390 px without
// sideways scrolling (e2e/narrow.spec.ts). Phones of this spec: emulator octets 143–147 (jobs.spec has 140–142, revisions.spec 148).
const RP = "voip/signalling/sip/redundant";
const configForm = (page: Page) => page.getByRole("form", { name: "Device configuration" });

async function addDevice(page: Page, phone: FleetPhone): Promise<string> {
  const res = await page.request.post("/api/v1/devices", {
    data: { name: unique("page"), address: phone.address, username: phone.username, password: phone.password, tags: ["e2e", "a-rather-long-tag-name", "x"] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The config form is there with the phone's values (the portal has read it). */
async function openRead(page: Page, id: string) {
  await readFromPhone(page.request, id);
  await page.goto(`/devices/${id}`);
  await expect(page.getByTestId("last-synced")).toHaveText(/Last read from the phone/);
  await expect(configForm(page)).toBeVisible();
}

/** Presses Tab until the focused element's accessible name is `name` (at most `max` presses); returns the presses. */
async function tabTo(page: Page, name: string, max = 200): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    const label = await focused.evaluate((el) => {
      const byFor = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
      return (el.getAttribute("aria-label") ?? byFor ?? el.textContent ?? "").trim();
    });
    if (label === name) return i;
  }
  throw new Error(`"${name}" not reached with Tab`);
}

test("keyboard only: edit a field, Enter does not push, Save and push does; focus stays above the save bar", async ({ page, request }) => {
  test.setTimeout(120_000);
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const phone = await addOwnPhone(request, 143, { [`${RP}/use_redundant_proxy`]: 1 });
  try {
    const id = await addDevice(page, phone);
    await openRead(page, id);
    const before = await deviceConfig(request, phone);
    const port = before.values[`${RP}/redundant_proxy_port`] === 5088 ? 5089 : 5088;

    // Keyboard only: Tab to the section link, Enter jumps there, Tab on to the field.
    const bar = page.getByRole("region", { name: "Unsaved changes" });
    await page.getByRole("link", { name: "Skip to content" }).focus();
    await tabTo(page, "Redundant proxy");
    await page.keyboard.press("Enter");
    await tabTo(page, "Redundant proxy port", 12);
    // The focused field is fully above the sticky save bar (the bar would hide it otherwise).
    const hidden = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const barEl = document.querySelector('[aria-label="Unsaved changes"]') as HTMLElement;
      return el.getBoundingClientRect().bottom > barEl.getBoundingClientRect().top;
    });
    expect(hidden, "focused field hidden behind the save bar").toBe(false);

    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(String(port));
    await expect(page.getByTestId("unsaved-count")).toHaveText("1 unsaved change");
    // Enter in a field is not "save": nothing is pushed, the change stays unsaved.
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("unsaved-count")).toHaveText("1 unsaved change");
    await expect(page.getByTestId("push-result")).toHaveCount(0);
    expect((await deviceConfig(request, phone)).values[`${RP}/redundant_proxy_port`]).toBe(before.values[`${RP}/redundant_proxy_port`]);

    // Tab on to the explicit button (past the rest of the form) and press it.
    await tabTo(page, "Save and push", 400);
    await expect(bar.getByRole("button", { name: "Save and push" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("push-result")).toHaveText(/Pushed — device revision \d+, verified by read-back/);
    expect((await deviceConfig(request, phone)).values[`${RP}/redundant_proxy_port`]).toBe(port);
    await expect(page.getByTestId("unsaved-count")).toHaveText("No unsaved changes");
  } finally {
    await removeOwnPhone(request, phone);
  }
});

test("a local change on the phone: Overwrite asks first and names the changes; Cancel sends nothing", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const phone = await addOwnPhone(request, 144, { [`${RP}/use_redundant_proxy`]: 1, [`${RP}/redundant_proxy_port`]: 5070 });
  const ip = phone.address.split(":")[0];
  try {
    const id = await addDevice(page, phone);
    await openRead(page, id);
    // Changed on the phone itself: two keys.
    await control(request, `/devices/${ip}/config`, { values: { [`${RP}/redundant_proxy_port`]: 5077, [`${RP}/use_redundant_proxy`]: 0 } });
    await page.getByRole("button", { name: "Read from device" }).click();
    const banner = page.getByTestId("drift-banner");
    await expect(banner).toBeVisible();
    // Values as people read them: On/Off, not 0/1.
    await expect(banner.getByRole("row", { name: /Use redundant proxy/ })).toContainText("On");
    await expect(banner.getByRole("row", { name: /Use redundant proxy/ })).toContainText("Off");

    await banner.getByRole("button", { name: "Overwrite device" }).click();
    const dialog = page.getByRole("dialog", { name: "Overwrite the phone's 2 local changes?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("overwrite-diff").getByRole("row", { name: /Redundant proxy port/ })).toContainText("5077");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect((await deviceConfig(request, phone)).values[`${RP}/redundant_proxy_port`]).toBe(5077);

    await banner.getByRole("button", { name: "Overwrite device" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Overwrite 2 local changes" }).click();
    await expect(page.getByTestId("push-result")).toContainText("Pushed");
    expect((await deviceConfig(request, phone)).values).toMatchObject({ [`${RP}/redundant_proxy_port`]: 5070, [`${RP}/use_redundant_proxy`]: 1 });
  } finally {
    await removeOwnPhone(request, phone);
  }
});

test("a phone added through the API is read without a visit: its page shows the phone's own values, never defaults", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  // A value no catalog default has, set on the phone itself before the portal knows it.
  const phone = await addOwnPhone(request, 145, { [`${RP}/use_redundant_proxy`]: 1, [`${RP}/redundant_proxy_port`]: 5093 });
  try {
    const id = await addDevice(page, phone);
    await page.goto(`/devices/${id}`);
    // Either still being read ("Not read from the phone yet", no form) or already read: never a form of defaults.
    await expect(page.getByLabel("Redundant proxy port", { exact: true })).toHaveValue("5093");
    await expect(page.getByTestId("never-read")).toHaveCount(0);
    await expect(page.getByTestId("last-synced")).toHaveText(/Last read from the phone/);
  } finally {
    await removeOwnPhone(request, phone);
  }
});

test("a never-read phone that does not answer: the page says it cannot be read, no form, nothing to save", async ({ page }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const res = await page.request.post("/api/v1/devices", { data: { name: unique("unread"), address: uniqueAddress() } });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  try {
    await page.goto(`/devices/${id}`);
    const box = page.getByTestId("never-read");
    await expect(box.getByRole("heading", { name: "This phone cannot be read" })).toBeVisible();
    await expect(page.getByTestId("config-state")).toHaveText("Never read");
    await expect(configForm(page)).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save and push" })).toHaveCount(0);
    // Trying again says so and still shows no form.
    await box.getByRole("button", { name: "Try to read again" }).click();
    await expect(box.getByRole("heading", { name: "This phone cannot be read" })).toBeVisible();
    await expect(box.getByRole("button", { name: "Try to read again" })).toBeEnabled();
    await expect(configForm(page)).toHaveCount(0);
  } finally {
    await page.request.delete(`/api/v1/devices/${id}`);
  }
});
