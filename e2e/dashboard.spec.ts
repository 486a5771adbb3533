// The dashboard's trend chart (issue 15): drawn from samples the portal stores (STATUS_SAMPLE_INTERVAL_S=2 in this
// run), with a count axis and a time axis over the chosen range, the card's full width at 1440 and 390 px, and a
// range selector (1 h, 24 h, 7 d) that asks the server for that range and relabels the time axis.
import { expect, test, type Page } from "@playwright/test";
import { adminCredentials, login } from "./helpers";

async function openDashboard(page: Page) {
  await login(page, adminCredentials().username, adminCredentials().password);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
}

const ticks = (page: Page, axis: "x" | "y") => page.getByTestId(`trend-${axis}-axis`).locator("text[data-tick]").allTextContents();

test.describe("dashboard trend", () => {
  test("has time and count axes over stored samples, fills its card, and the range selector changes the range", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openDashboard(page);
    const chart = page.getByTestId("trend-chart");
    await expect(chart).toHaveAttribute("data-range", "1h");
    await expect(page.getByRole("button", { name: "1 h", pressed: true })).toBeVisible();
    // The stored samples are drawn (the sampler writes every 2 s here; the 1 h view has one point per minute).
    // (toBeAttached: a flat line has no height, which Playwright counts as hidden.)
    await expect(chart.locator("[data-series=registeredPrimary]").first()).toBeAttached({ timeout: 20_000 });
    await expect(page.getByTestId("trend-y-title")).toHaveText("Devices");
    await expect(page.getByTestId("trend-x-title")).toHaveText("Local time");
    const y = await ticks(page, "y");
    expect(y[0]).toBe("0");
    expect(y.length).toBeGreaterThanOrEqual(2);
    const x = await ticks(page, "x");
    expect(x.length, x.join(",")).toBeGreaterThanOrEqual(5); // every 10 minutes across the hour
    for (const t of x) expect(t).toMatch(/^\d{2}:\d{2}$/);
    await expect(page.getByTestId("trend-summary")).toContainText("over the last hour, one point per 1 min");
    await expect(page.getByTestId("trend-summary")).toContainText(/Registered to primary: \d+ now/);

    // Its card's full width (less the card's padding), not a third of it.
    const card = await page.getByRole("region", { name: "Trend" }).boundingBox();
    const svg = await chart.locator("svg[role=img]").boundingBox();
    expect(svg!.width).toBeGreaterThan(card!.width - 40);

    const asked = page.waitForRequest((r) => r.url().includes("/api/v1/status/trend?range=7d"));
    await page.getByRole("button", { name: "7 d" }).click();
    await asked;
    await expect(chart).toHaveAttribute("data-range", "7d");
    await expect(page.getByRole("button", { name: "7 d", pressed: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "1 h", pressed: false })).toBeVisible();
    await expect(page.getByTestId("trend-x-title")).toHaveText("Day (local time)");
    const days = await ticks(page, "x");
    expect(days.length, days.join(",")).toBeGreaterThanOrEqual(6);
    for (const t of days) expect(t).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/); // "Mon 30"
    await expect(page.getByTestId("trend-summary")).toContainText("over the last 7 days, one point per 1 h");

    await page.getByRole("button", { name: "24 h" }).click();
    await expect(chart).toHaveAttribute("data-range", "24h");
    await expect(page.getByTestId("trend-summary")).toContainText("over the last 24 hours, one point per 15 min");
    const hours = await ticks(page, "x");
    expect(hours.length, hours.join(",")).toBeGreaterThanOrEqual(7); // every 3 hours
  });

  test("at 390 px the chart keeps inside its card with fewer time ticks", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openDashboard(page);
    const chart = page.getByTestId("trend-chart");
    await expect(chart.locator("svg[role=img]")).toBeVisible();
    const card = await page.getByRole("region", { name: "Trend" }).boundingBox();
    const svg = await chart.locator("svg[role=img]").boundingBox();
    expect(svg!.x).toBeGreaterThanOrEqual(card!.x);
    expect(svg!.x + svg!.width).toBeLessThanOrEqual(card!.x + card!.width);
    expect(svg!.width).toBeGreaterThan(card!.width - 40);
    const x = await ticks(page, "x");
    expect(x.length).toBeGreaterThanOrEqual(2);
    expect(x.length).toBeLessThanOrEqual(4); // every 20 minutes
  });
});
