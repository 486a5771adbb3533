// Live registration status end to end: the poller (POLL_INTERVAL_S=2) sees an emulated phone fail over when
// its primary proxy is cut off (a per-phone partition, so other specs' phones are unaffected) and fail back;
// the open device list follows without a reload, and the device page's timeline lists both transitions.
import { expect, test } from "@playwright/test";
import { control, fleet, PHONES } from "./fleet";
import { adminCredentials, apiToken, bearer, login } from "./helpers";

test.describe("live registration status", () => {
  test("the list shows a failover to the redundant proxy and the failback live; the timeline lists both", async ({ page, request }) => {
    test.setTimeout(120_000);
    const phone = fleet()[PHONES.status[0]];
    const ip = phone.address.split(":")[0];
    const token = await apiToken(request, adminCredentials());
    const created = await request.post("/api/v1/devices", {
      headers: bearer(token),
      data: { name: phone.name, address: phone.address, username: phone.username, password: phone.password, site: "e2e-status" },
    });
    expect(created.status(), await created.text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;

    try {
      await login(page, adminCredentials().username, adminCredentials().password);
      await page.goto(`/devices?site=e2e-status`);
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: phone.name, exact: true }) });
      const badge = row.getByTestId("status-badge");
      await expect(page.getByTestId("live-indicator")).toHaveText("Live");
      await expect(badge).toContainText("Registered · primary", { timeout: 30_000 });
      // Survives only if the page is never reloaded.
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

      await control(request, `/devices/${ip}/partition`, { role: "primary", cut: true });
      await expect(badge).toContainText("Registered · redundant (failed over)", { timeout: 45_000 });

      // The chip filter finds it among the failed-over devices.
      await page.getByRole("button", { name: "Failed over" }).click();
      await expect(page).toHaveURL(/status=failed_over/);
      await expect(row).toBeVisible();
      await page.getByRole("button", { name: "Failed over" }).click();

      await control(request, `/devices/${ip}/partition`, { role: "primary", cut: false });
      await expect(badge).toContainText("Registered · primary", { timeout: 45_000 });
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

      await page.getByRole("link", { name: phone.name, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/devices/${id}$`));
      const timeline = page.getByTestId("status-timeline");
      await expect(timeline).toBeVisible();
      const lines = timeline.getByRole("listitem");
      // Newest first: the failback above the failover.
      const texts = await lines.allInnerTexts();
      const back = texts.findIndex((t) => /→ registered to primary/.test(t));
      const over = texts.findIndex((t) => /→ registered to redundant/.test(t));
      expect(back, texts.join("\n")).toBeGreaterThanOrEqual(0);
      expect(over, texts.join("\n")).toBeGreaterThan(back);
      await expect(page.getByTestId("keepalive-primary")).toContainText(/answering/);
    } finally {
      await control(request, `/devices/${ip}/partition`, { role: "primary", cut: false }).catch(() => {});
    }
  });

  test("a lost event stream shows 'Reconnecting…', recovers by itself and refetches the list", async ({ page }) => {
    // The first stream opens and ends at once (a server restart, a proxy timeout); the portal then answers 503
    // until the route is lifted. Routed before signing in: the sign-in lands on the device list.
    let streams = 0;
    await page.route("**/api/v1/events", (route) =>
      streams++ === 0
        ? route.fulfill({ status: 200, contentType: "text/event-stream", body: "retry: 300\nevent: ready\ndata: {}\n\n" })
        : route.fulfill({ status: 503, body: "down" }),
    );
    await login(page, adminCredentials().username, adminCredentials().password);
    if (!new URL(page.url()).pathname.startsWith("/devices")) await page.goto("/devices");
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveText("Reconnecting…");
    await expect(page.getByTestId("device-count")).not.toHaveText("");
    const refetch = page.waitForRequest((r) => r.url().includes("/api/v1/devices?") && r.method() === "GET", { timeout: 45_000 });
    await page.unroute("**/api/v1/events");
    await expect(indicator).toHaveText("Live", { timeout: 45_000 });
    await refetch;
  });

  test("the dashboard counts the fleet and the status page shows the poller running", async ({ page }) => {
    await login(page, adminCredentials().username, adminCredentials().password);
    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
    await expect(page.getByTestId("count-registeredPrimary")).toContainText("Registered to primary");
    // Each count opens the list filtered to it, "registered to primary" included.
    await page.getByTestId("count-registeredPrimary").click();
    await expect(page).toHaveURL(/\/devices\?status=on_primary$/);
    await expect(page.getByRole("button", { name: "Registered to primary", pressed: true })).toBeVisible();
    await expect(page.getByTestId("device-count")).toHaveText(/\d/);
    await page.getByRole("link", { name: "Status", exact: true }).click();
    await expect(page.getByTestId("poller-state")).toHaveText("Running");
  });
});
