// Issue 15, job page: three phones of this spec's own; one is offline and the poller already says so. The job
// fails it after one attempt and ends "Finished with failures" with a red segment in the bar; per-state counts
// filter the device list; the failure's attempt stays listed after "Retry failed" brings it to "Finished".
// Also: values read as people read them (On, labels), raw keys on demand, and no sideways scrolling at 390 px.
import { expect, test, type Page } from "@playwright/test";
import { addOwnPhone, control, removeOwnPhone, type FleetPhone } from "./fleet";
import { adminCredentials, apiToken, bearer, login, unique } from "./helpers";

const RP = "voip/signalling/sip/redundant";

export async function noSidewaysScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const viewport = page.viewportSize()!.width;
  expect(width, `page is ${width} px wide in a ${viewport} px viewport`).toBeLessThanOrEqual(viewport);
}

test("a job with an unreachable phone: fails fast, says so, keeps the attempt after Retry failed", async ({ page, request }) => {
  test.setTimeout(120_000);
  const token = await apiToken(request, adminCredentials());
  const site = unique("jobs");
  const phones: FleetPhone[] = [];
  const ids: string[] = [];
  try {
    for (const octet of [140, 141, 142]) {
      const p = await addOwnPhone(request, octet);
      phones.push(p);
      const res = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-${p.name}`, address: p.address, username: p.username, password: p.password, site } });
      expect(res.status()).toBe(201);
      const { id } = (await res.json()) as { id: string };
      ids.push(id);
      expect((await request.post(`/api/v1/devices/${id}/sync`, { headers: bearer(token) })).status()).toBe(200);
    }
    const down = phones[2];
    await control(request, `/devices/${down.address.split(":")[0]}/fault`, { mode: "offline" });
    await expect
      .poll(async () => ((await (await request.get(`/api/v1/devices/${ids[2]}/status`, { headers: bearer(token) })).json()) as { state: string }).state, { timeout: 30_000 })
      .toBe("unreachable");

    const created = await request.post("/api/v1/jobs", { headers: bearer(token), data: { filter: { site }, values: { [`${RP}/redundant_proxy_is_symmetric`]: 1, [`${RP}/redundant_proxy_address`]: "192.0.2.77" }, reason: "e2e jobs" } });
    expect(created.status(), await created.text()).toBe(201);
    const jobId = ((await created.json()) as { id: string }).id;

    await login(page, adminCredentials().username, adminCredentials().password);
    await page.goto(`/jobs/${jobId}`);
    await expect(page.getByTestId("job-outcome")).toHaveText("Finished with failures", { timeout: 30_000 });
    const bar = page.getByTestId("job-bar");
    await expect(bar.locator('[data-segment="failed"]')).toHaveAttribute("data-count", "1");
    await expect(bar.locator('[data-segment="applied"]')).toHaveAttribute("data-count", "2");
    await expect(page.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuetext", /3 of 3 devices finished: 2 applied, 1 failed/);
    await expect(page.getByTestId("job-failures")).toContainText("1 of 3 devices failed");

    // Values as people read them, raw on demand.
    await expect(page.getByTestId("job-changes")).toContainText("Switch back to primary proxy when available → Symmetric (equal priority, stay on the current proxy)");
    const raw = page.getByTestId("job-changes").getByText(`${RP}/redundant_proxy_is_symmetric = 1`);
    await expect(raw).toBeHidden();
    await page.getByTestId("job-changes").getByText("Raw keys and values").click();
    await expect(raw).toBeVisible();
    const applied = page.getByTestId("job-target").filter({ hasText: phones[0].name });
    await expect(applied).toContainText("Switch back to primary proxy when available: Asymmetric (prefer primary, switch back when it answers) → Symmetric");
    await expect(applied.getByText(`${RP}/redundant_proxy_is_symmetric = 0 → 1`)).toBeHidden();

    // The counts filter the list.
    await page.getByTestId("job-counts").getByRole("button", { name: /1 Failed/ }).click();
    await expect(page.getByTestId("job-target")).toHaveCount(1);
    const failed = page.getByTestId("job-target").first();
    await expect(failed).toContainText(down.name);
    await expect(failed.getByTestId("target-error")).toContainText("not retried: the status poller cannot reach this phone either");
    await failed.getByText("1 attempt").click();
    await expect(failed.getByTestId("attempt-history").locator('[data-outcome="failed"]')).toHaveCount(1);

    // Its device page shows no keep-alive from before it stopped answering as if it were current: none at all.
    await page.goto(`/devices/${ids[2]}`);
    await expect(page.getByRole("region", { name: "Registration" })).toContainText("Unreachable");
    await expect(page.getByTestId("keepalive-primary")).toHaveCount(0);
    await page.goto(`/jobs/${jobId}`);
    await page.getByTestId("job-counts").getByRole("button", { name: /1 Failed/ }).click();

    // The phone comes back; the poller notices; Retry failed applies it and the earlier attempt is still there.
    await control(request, `/devices/${down.address.split(":")[0]}/fault`, { mode: "none" });
    await expect
      .poll(async () => ((await (await request.get(`/api/v1/devices/${ids[2]}/status`, { headers: bearer(token) })).json()) as { state: string }).state, { timeout: 30_000 })
      .not.toBe("unreachable");
    await page.getByRole("button", { name: "Retry failed (1)" }).click();
    await expect(page.getByTestId("job-outcome")).toHaveText("Finished", { timeout: 30_000 });
    await page.getByTestId("job-counts").getByRole("button", { name: /Failed/ }).click(); // filter off
    const back = page.getByTestId("job-target").filter({ hasText: down.name });
    await expect(back).toHaveAttribute("data-state", "applied");
    await back.getByText(/2 attempts \(across retries\)/).click();
    const history = back.getByTestId("attempt-history");
    await expect(history.locator("li")).toHaveCount(3);
    await expect(history.locator('[data-outcome="failed"]')).toContainText("failed");
    await expect(history.locator('[data-outcome="retry_requested"]')).toContainText("retry requested by admin");
    await expect(history.locator('[data-outcome="applied"]')).toBeVisible();

    // The audit log groups the job's per-device entries under its one job.push entry.
    await page.goto("/audit");
    const jobRow = page.getByTestId("audit-row").filter({ has: page.getByRole("link", { name: `job ${jobId.slice(0, 8)}` }) }).filter({ hasText: "job.push" });
    // Only this job's phones: other specs push single devices, whose config.push rows stand on their own.
    await expect(page.getByTestId("audit-row").filter({ hasText: "config.push" }).filter({ hasText: site })).toHaveCount(0);
    await jobRow.getByRole("button", { name: /Details and \d+ device entries/ }).click();
    const entries = page.getByTestId("job-entries");
    await expect(entries.getByTestId("job-entry").filter({ hasText: "Pushed configuration" })).toHaveCount(3);
    await expect(entries.getByTestId("job-entry").filter({ hasText: "Push failed" })).toHaveCount(1);

    // The job list says the same.
    await page.goto("/jobs");
    await expect(page.getByTestId("job-row").first()).toContainText("Finished");

    // 390 px: the job page stacks, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/jobs/${jobId}`);
    await expect(page.getByTestId("job-outcome")).toBeVisible();
    await noSidewaysScroll(page);
  } finally {
    for (const p of phones) await removeOwnPhone(request, p).catch(() => {});
  }
});
