// Issue 10: the bulk form shows what the phones hold right after they were added — no page visit, no "Read from
// device" — never catalog defaults. Two phones of the spec's own carry a redundant proxy set on the phone itself.
import { expect, test } from "@playwright/test";
import { addOwnPhone, removeOwnPhone, type FleetPhone } from "./fleet";
import { adminCredentials, apiToken, bearer, login, unique } from "./helpers";

const R = "voip/signalling/sip/redundant/";
let phones: FleetPhone[] = [];

test.afterEach(async ({ request }) => {
  for (const p of phones) await removeOwnPhone(request, p);
  phones = [];
});

test("bulk edit shows the phones' real values, read by the portal on its own", async ({ page, request }) => {
  const admin = adminCredentials();
  const token = await apiToken(request, admin);
  const local = { [`${R}use_redundant_proxy`]: 1, [`${R}redundant_proxy_address`]: "192.0.2.44", [`${R}redundant_proxy_port`]: 5077 };
  phones = [await addOwnPhone(request, 170, local), await addOwnPhone(request, 171, local)];
  const site = unique("real-values");
  const ids: string[] = [];
  for (const p of phones) {
    const res = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-${p.name}`, address: p.address, username: p.username, password: p.password, site } });
    expect(res.status()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  await login(page, admin.username, admin.password);
  await page.goto(`/bulk?ids=${ids.join(",")}`);
  await expect(page.getByTestId("bulk-selection")).toContainText("2 devices");
  await expect(page.getByText("All selected devices: 192.0.2.44")).toBeVisible();
  await expect(page.getByLabel("Redundant proxy address", { exact: true })).toHaveValue("192.0.2.44");
  await expect(page.getByLabel("Redundant proxy port", { exact: true })).toHaveValue("5077");
  await expect(page.getByText("0.0.0.0")).toHaveCount(0);
});
