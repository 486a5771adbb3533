// Bulk edit end to end: phones 6–11 of the e2e fleet, added under a unique site, selected through the device
// list's filter ("select all matching"), redundant proxy address + port changed on /bulk, preview, push, the job
// page reaches 100 %, and each phone's own device API reports the new values.
import { expect, test } from "@playwright/test";
import { deviceConfig, fleet, PHONES } from "./fleet";
import { adminCredentials, apiToken, bearer, login, unique } from "./helpers";

const ADDRESS_KEY = "voip/signalling/sip/redundant/redundant_proxy_address";
const PORT_KEY = "voip/signalling/sip/redundant/redundant_proxy_port";

test("bulk edit: filter by site, change the redundant proxy, preview, push, watch 100 %, devices hold the values", async ({ page, request }) => {
  const admin = adminCredentials();
  const token = await apiToken(request, admin);
  const site = unique("bulk-site");
  const phones = PHONES.bulk.map((i) => fleet()[i]);
  for (const p of phones) {
    const res = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-${p.name}`, address: p.address, username: p.username, password: p.password, site } });
    expect(res.status(), `adding ${p.address}`).toBe(201);
    // The portal reads the device's config (first contact), so the preview compares with what the phone holds.
    const { id } = (await res.json()) as { id: string };
    const sync = await request.post(`/api/v1/devices/${id}/sync`, { headers: bearer(token) });
    expect(sync.status(), `sync ${p.address}`).toBe(200);
  }
  const before = await Promise.all(phones.map((p) => deviceConfig(request, p)));

  await login(page, admin.username, admin.password);
  await page.goto("/devices");
  await page.getByLabel("Site", { exact: true }).fill(site);
  await expect(page.getByTestId("device-count")).toHaveText(`${phones.length} matching`);
  await page.getByRole("button", { name: `Select all ${phones.length} matching the filter` }).click();
  await page.getByRole("link", { name: `Bulk edit (${phones.length})` }).click();

  await expect(page).toHaveURL(/\/bulk\?/);
  await expect(page.getByTestId("bulk-selection")).toContainText(`${phones.length} devices`);
  const address = page.getByLabel("Redundant proxy address", { exact: true });
  await expect(address).toBeDisabled();
  await page.getByLabel("Change Redundant proxy address").check();
  await address.fill("192.0.2.59");
  await page.getByLabel("Change Redundant proxy port").check();
  const port = page.getByLabel("Redundant proxy port", { exact: true });
  await port.fill("70000");
  await expect(port).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("button", { name: "Preview changes" })).toBeDisabled();
  await port.fill("5071");

  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("preview-counts")).toContainText(`${phones.length} will change`);
  await expect(page.getByText("192.0.2.59").first()).toBeVisible();
  await page.getByLabel("Reason").fill("e2e: new backup proxy");
  await page.getByRole("button", { name: `Push to ${phones.length} devices` }).click();

  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuenow", "100", { timeout: 45_000 });
  await expect(page.getByTestId("job-counts").locator('[data-state="applied"]')).toContainText(`${phones.length} Applied`);
  await expect(page.getByTestId("job-outcome")).toHaveText("Finished");

  for (const [i, p] of phones.entries()) {
    const now = await deviceConfig(request, p);
    expect(now.values[ADDRESS_KEY], p.address).toBe("192.0.2.59");
    expect(now.values[PORT_KEY], p.address).toBe(5071);
    expect(now.revision).toBe(before[i].revision + 1);
  }
});
