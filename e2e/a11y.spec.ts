// Issue 15: every page at 1440 and 390 px — axe-core finds zero violations (WCAG 2.x A/AA rules and best
// practices axe enables by default), and nothing scrolls sideways at 390 px. Pages that need data (a device, a
// job) get it through the API first; a phone of this spec's own (octet 160) makes the device and job pages real.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { addOwnPhone, removeOwnPhone, type FleetPhone } from "./fleet";
import { adminCredentials, apiToken, bearer, login, unique, uniqueAddress } from "./helpers";

const WIDTHS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;

/** axe's violations as "rule (impact): first nodes" lines, so a failure names what broke and where. */
async function axeViolations(builder: AxeBuilder): Promise<string[]> {
  const results = await builder.analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | ")}`);
}

async function checkPage(page: Page, path: string, ready: (p: Page) => Promise<void>, width: number): Promise<void> {
  await page.goto(path);
  await ready(page);
  expect.soft(await axeViolations(new AxeBuilder({ page })), `axe on ${path} at ${width} px`).toEqual([]);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(scrollWidth, `${path} is ${scrollWidth} px wide at ${width} px`).toBeLessThanOrEqual(width);
}

let phone: FleetPhone;
let deviceId = "";
let jobId = "";
/** A device the portal has never read (nobody answers on its address): the page says so instead of a form. */
let unreadId = "";

test.beforeAll(async ({ request }) => {
  const token = await apiToken(request, adminCredentials());
  phone = await addOwnPhone(request, 160);
  const site = unique("a11y");
  const res = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-phone`, address: phone.address, username: phone.username, password: phone.password, site } });
  expect(res.status()).toBe(201);
  deviceId = ((await res.json()) as { id: string }).id;
  expect((await request.post(`/api/v1/devices/${deviceId}/sync`, { headers: bearer(token) })).status()).toBe(200);
  const unread = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-unread`, address: uniqueAddress(), site } });
  expect(unread.status()).toBe(201);
  unreadId = ((await unread.json()) as { id: string }).id;
  const job = await request.post("/api/v1/jobs", { headers: bearer(token), data: { deviceIds: [deviceId], values: { "voip/signalling/sip/redundant/redundant_proxy_port": 5072 } } });
  expect(job.status(), await job.text()).toBe(201);
  jobId = ((await job.json()) as { id: string }).id;
});

test.afterAll(async ({ request }) => {
  // A failed test restarts the worker and runs beforeAll again: leave nothing that would collide.
  const token = await apiToken(request, adminCredentials());
  for (const id of [deviceId, unreadId]) if (id) await request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
  if (phone) await removeOwnPhone(request, phone).catch(() => {});
});

const heading = (name: RegExp | string) => async (p: Page) => {
  await expect(p.getByRole("heading", { level: 1, name })).toBeVisible();
};

// Each page is a test of its own: one slow page (axe on a long page takes a while on a loaded machine) cannot
// time the others out, and a failure names its page.
const PAGES: Array<[string, () => string, (p: Page) => Promise<void>]> = [
  ["/dashboard", () => "/dashboard", async (p) => await expect(p.getByTestId("trend-chart")).toBeVisible()],
  ["/jobs/<job>", () => `/jobs/${jobId}`, async (p) => await expect(p.getByTestId("job-outcome")).toHaveText(/Finished/)],
  ["/jobs", () => "/jobs", heading("Push jobs")],
  ["/audit", () => "/audit", async (p) => await expect(p.getByTestId("audit-table")).toBeVisible()],
  ["/status", () => "/status", heading("Poller status")],
  ["/proxies", () => "/proxies", heading(/prox/i)],
  ["/settings", () => "/settings", heading(/settings/i)],
  ["/devices", () => "/devices", async (p) => await expect(p.getByTestId("device-count")).toHaveText(/\d/)],
  ["/devices/<phone>", () => `/devices/${deviceId}`, async (p) => await expect(p.getByRole("form", { name: "Device configuration" })).toBeVisible()],
  ["/devices/<never-read phone>", () => `/devices/${unreadId}`, async (p) => await expect(p.getByTestId("never-read")).toBeVisible()],
  ["/account", () => "/account", async (p) => await expect(p.getByTestId("totp-state")).toBeVisible()],
  ["/bulk", () => "/bulk", heading(/bulk/i)],
  ["/bulk?ids=<phone>", () => `/bulk?ids=${deviceId}`, async (p) => await expect(p.getByRole("button", { name: /preview/i })).toBeVisible()],
  ["/users", () => "/users", async (p) => await expect(p.getByTestId("users-table")).toBeVisible()],
  ["/tokens", () => "/tokens", heading(/token/i)],
];

for (const w of WIDTHS) {
  test.describe(`at ${w.name} px`, () => {
    test.use({ viewport: { width: w.width, height: w.height } });

    test("/login passes axe and fits", async ({ page }) => {
      await checkPage(page, "/login", heading("SIP Admin Portal"), w.width);
    });

    for (const [label, path, ready] of PAGES) {
      test(`${label} passes axe and fits`, async ({ page }) => {
        test.setTimeout(120_000);
        await login(page, adminCredentials().username, adminCredentials().password);
        await checkPage(page, path(), ready, w.width);
      });
    }
  });
}

test.describe("at 1440 px, loading", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  // The device list while a new sort loads shows the previous rows as a placeholder: they stay readable (a
  // dimmed table failed color-contrast whenever axe ran during a live refetch) and the table says aria-busy.
  test("/devices while a new sort loads passes axe", async ({ page }) => {
    test.setTimeout(120_000);
    await login(page, adminCredentials().username, adminCredentials().password);
    await page.goto("/devices");
    const table = page.getByRole("table", { name: "Devices" });
    await expect(page.getByTestId("device-count")).toHaveText(/\d/);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/v1\/devices\?.*dir=desc/, async (route) => {
      await held;
      await route.continue();
    });
    await table.getByRole("button", { name: /^Name/ }).click();
    await expect(table).toHaveAttribute("aria-busy", "true");
    const violations = await axeViolations(new AxeBuilder({ page }).include("main"));
    release();
    expect(violations, "axe on /devices while loading").toEqual([]);
    await expect(table).not.toHaveAttribute("aria-busy", "true");
  });
});
