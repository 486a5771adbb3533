import { expect, test, type Locator, type Page } from "@playwright/test";
import { addOwnPhone, deviceConfig, removeOwnPhone, type FleetPhone } from "./fleet";
import { adminCredentials, createViewer, login, readFromPhone, unique } from "./helpers";

const RP = "voip/signalling/sip/redundant";

// Labels are the catalog's (reference `label`); exact matching because "Proxy port" is a substring of others.
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const configForm = (page: Page) => page.getByRole("form", { name: "Device configuration" });

/** The field is invalid and its message is the element aria-describedby points at. */
async function expectFieldError(input: Locator, message: RegExp) {
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toHaveAccessibleDescription(message);
  const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).innerText()));
  expect(texts.some((t) => message.test(t)), `message linked by aria-describedby: ${texts.join(" | ")}`).toBe(true);
}

/** A device in the inventory for an emulated phone of the test's own, read once (the form shows its values). */
async function createDevice(page: Page, phone: FleetPhone): Promise<{ id: string; name: string; address: string; site: string }> {
  const device = {
    name: unique("cfg-dev"),
    address: phone.address,
    username: phone.username,
    password: phone.password,
    site: unique("site"),
    tags: ["e2e", "config"],
  };
  // page.request shares the browser's session cookie.
  const res = await page.request.post("/api/v1/devices", { data: device });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  await readFromPhone(page.request, id);
  return { ...device, id };
}

test.describe("device configuration", () => {
  test("redundant proxy fields: applicability, range errors, save and push, persistence", async ({ page, request }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    const phone = await addOwnPhone(request, 101, { [`${RP}/use_redundant_proxy`]: 0 });
    const device = await createDevice(page, phone);

    await page.goto(`/devices/${device.id}`);
    await expect(page.getByRole("heading", { level: 1, name: device.name })).toBeVisible();
    await expect(page.getByText(device.address, { exact: true })).toBeVisible();
    // The poller fills the registration panel (e2e/status.spec.ts covers it); here it only has to be there.
    await expect(page.getByTestId("registration-status")).toHaveText(/^Status: /);

    const use = field(page, "Use redundant proxy");
    const port = field(page, "Redundant proxy port");
    const address = field(page, "Redundant proxy address");
    const period = field(page, "Redundant proxy keep-alive period");
    const mode = field(page, "Switch back to primary proxy when available");

    // Off: the dependent fields are disabled and say why.
    await expect(use).not.toBeChecked();
    for (const f of [port, address, period, mode]) await expect(f).toBeDisabled();
    await expect(port).toHaveAccessibleDescription(/Applies only when Use redundant proxy is on/);

    await use.check();
    for (const f of [port, address, period, mode]) await expect(f).toBeEnabled();
    await expect(port).toHaveValue("5060");
    await expect(page.getByTestId("unsaved-count")).toHaveText("1 unsaved change");

    for (const [value, message] of [
      ["1023", /Must be between 1024 and 65535/],
      ["65536", /Must be between 1024 and 65535/],
      ["abc", /Must be a whole number/],
    ] as const) {
      await port.fill(value);
      await expectFieldError(port, message);
    }

    await port.fill("5070");
    await expect(port).not.toHaveAttribute("aria-invalid", "true");
    await address.fill("backup.pbx.example");
    await expect(page.getByTestId("unsaved-count")).toHaveText("3 unsaved changes");

    await configForm(page).getByRole("button", { name: "Save and push" }).click();
    await expect(page.getByTestId("push-result")).toHaveText(/Pushed — device revision \d+, verified by read-back/);
    await expect(page.getByTestId("config-state")).toHaveText("In sync");
    await expect(page.getByTestId("unsaved-count")).toHaveText("No unsaved changes");

    // Stored by the portal and held by the phone: a fresh load shows the values, both APIs agree.
    await page.reload();
    await expect(field(page, "Use redundant proxy")).toBeChecked();
    await expect(field(page, "Redundant proxy port")).toHaveValue("5070");
    await expect(field(page, "Redundant proxy address")).toHaveValue("backup.pbx.example");
    const api = await page.request.get(`/api/v1/devices/${device.id}/config`);
    const body = (await api.json()) as { values: Record<string, unknown>; state: string };
    expect(body.state).toBe("in_sync");
    expect(body.values[`${RP}/redundant_proxy_port`]).toBe(5070);
    expect(body.values[`${RP}/use_redundant_proxy`]).toBe(1);
    const held = await deviceConfig(request, phone);
    expect(held.values).toMatchObject({ [`${RP}/use_redundant_proxy`]: 1, [`${RP}/redundant_proxy_port`]: 5070, [`${RP}/redundant_proxy_address`]: "backup.pbx.example" });
    await removeOwnPhone(request, phone);
  });

  test("cross-field rule, reset to default, discard, and a concurrent edit reported", async ({ page, request }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    const phone = await addOwnPhone(request, 102);
    const device = await createDevice(page, phone);
    await page.goto(`/devices/${device.id}`);
    await expect(page.getByTestId("config-state")).toHaveText("In sync");

    // Turning a separate registrar on makes its (empty) address required: cross-field rule on the merged config.
    await field(page, "Use separate registrar").check();
    await configForm(page).getByRole("button", { name: "Save and push" }).click();
    await expectFieldError(field(page, "Registrar address"), /Required/);
    await expect(page.getByTestId("push-result")).toHaveCount(0);

    await field(page, "Registration expiry").fill("120");
    await page.getByRole("button", { name: "Reset to default (Registration expiry)" }).click();
    await expect(field(page, "Registration expiry")).toHaveValue("3600");

    await page.getByRole("button", { name: "Discard" }).click();
    await expect(field(page, "Use separate registrar")).not.toBeChecked();
    await expect(page.getByTestId("unsaved-count")).toHaveText("No unsaved changes");

    // Someone else saves meanwhile: our save is refused (409 on the stale revision), shown in an alert.
    const other = await page.request.patch(`/api/v1/devices/${device.id}/config`, {
      data: { values: { "voip/dial_timeout": 7 } },
    });
    expect(other.status(), await other.text()).toBe(200);
    await field(page, "Display name").fill("Board room");
    await configForm(page).getByRole("button", { name: "Save and push" }).click();
    await expect(page.getByTestId("push-error")).toContainText("changed meanwhile");
    await expect(page.getByTestId("push-result")).toHaveCount(0);
    await page.getByRole("button", { name: /Reload the configuration/ }).click();
    await expect(field(page, "Inter-digit dialing timeout")).toHaveValue("7");
    await expect(field(page, "Display name")).toHaveValue("Line 1");
    expect((await deviceConfig(request, phone)).values["voip/line/0/description"]).toBe("Line 1");
    await removeOwnPhone(request, phone);
  });

  test("leaving with unsaved changes asks first", async ({ page, request }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    const phone = await addOwnPhone(request, 103);
    const device = await createDevice(page, phone);
    await page.goto(`/devices/${device.id}`);
    await field(page, "Display name").fill("Board room");

    page.once("dialog", (d) => d.dismiss());
    await page.getByRole("link", { name: "← Devices" }).click();
    await expect(page).toHaveURL(new RegExp(`/devices/${device.id}$`));
    await expect(field(page, "Display name")).toHaveValue("Board room");

    page.once("dialog", (d) => d.accept());
    await page.getByRole("link", { name: "← Devices" }).click();
    await expect(page).toHaveURL(/\/devices$/);
    await removeOwnPhone(request, phone);
  });

  test("viewers see the configuration read-only, without Save", async ({ page, browser, request }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    const phone = await addOwnPhone(request, 104);
    const device = await createDevice(page, phone);
    const viewer = await createViewer(page.request);

    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      const viewerPage = await context.newPage();
      await login(viewerPage, viewer.username, viewer.password);
      await viewerPage.goto(`/devices/${device.id}`);
      await expect(field(viewerPage, "Use redundant proxy")).toBeDisabled();
      await expect(field(viewerPage, "Local SIP port")).toBeDisabled();
      await expect(viewerPage.getByRole("button", { name: "Save" })).toHaveCount(0);
    } finally {
      await context.close();
      await removeOwnPhone(request, phone);
    }
  });
});
