// Screenshots of the dashboard, the device list, a device page and a job page at 1440 and 390 px
// (docs/screenshots/<page>-<width>.png). Needs `npx next build`; run with `npm run screenshots`.
import { expect, test, type Page } from "@playwright/test";
import { addOwnPhone, removeOwnPhone, type FleetPhone } from "../../e2e/fleet";
import { adminCredentials, apiToken, bearer, login, readFromPhone } from "../../e2e/helpers";

const OUT = "docs/screenshots";
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

let phones: FleetPhone[] = [];
let deviceId = "";
let jobId = "";

test.beforeAll(async ({ request }) => {
  const token = await apiToken(request, adminCredentials());
  // Octets 190–193: this script's own phones.
  phones = [await addOwnPhone(request, 190, { "voip/line/0/id": "1005" }), await addOwnPhone(request, 191, { "voip/line/0/id": "1006" }), await addOwnPhone(request, 192, { "voip/line/0/id": "1007" })];
  const ids: string[] = [];
  for (const [i, p] of phones.entries()) {
    const res = await request.post("/api/v1/devices", {
      headers: bearer(token),
      data: { name: `lobby-${i + 1}`, address: p.address, username: p.username, password: p.password, site: i < 2 ? "berlin" : "hamburg", tags: i === 0 ? ["boardroom"] : [] },
    });
    expect(res.status(), await res.text()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  deviceId = ids[0];
  for (const id of ids) await readFromPhone(request, id, bearer(token));
  const job = await request.post("/api/v1/jobs", { headers: bearer(token), data: { deviceIds: ids, values: { "voip/signalling/sip/redundant/redundant_proxy_port": 5072 } } });
  expect(job.status(), await job.text()).toBe(201);
  jobId = ((await job.json()) as { id: string }).id;
});

test.afterAll(async ({ request }) => {
  for (const p of phones) await removeOwnPhone(request, p).catch(() => {});
});

const SHOTS: Array<[string, () => string, (p: Page) => Promise<void>]> = [
  ["dashboard", () => "/dashboard", async (p) => await expect(p.getByTestId("trend-chart").locator("[data-series]").first()).toBeAttached({ timeout: 30_000 })],
  ["devices", () => "/devices?cols=model,firmware,extension,lastSeen,configState", async (p) => await expect(p.getByText("2.4.1-emu").first()).toBeVisible({ timeout: 30_000 })],
  ["device", () => `/devices/${deviceId}`, async (p) => await expect(p.getByRole("form", { name: "Device configuration" })).toBeVisible()],
  ["job", () => `/jobs/${jobId}`, async (p) => await expect(p.getByTestId("job-outcome")).toHaveText(/Finished/, { timeout: 60_000 })],
];

for (const w of WIDTHS) {
  test(`screenshots at ${w.width} px`, async ({ page }) => {
    await page.setViewportSize(w);
    await login(page, adminCredentials().username, adminCredentials().password);
    for (const [name, path, ready] of SHOTS) {
      await page.goto(path());
      await ready(page);
      await page.screenshot({ path: `${OUT}/${name}-${w.width}.png`, fullPage: true });
    }
  });
}
