// Freshness (issue 15): a phone that stops answering keeps its last registration and keep-alive data on screen, but
// once its last answer is older than the server's threshold (staleAfterS: 2 × POLL_INTERVAL_S=2 + one window = 6 s)
// the device page and the list say "stale · last answer N sec. ago" — ticking, without a reload — instead of
// presenting it as current; when it answers again the marks go. Own phone: octet 190 (e2e/fleet.ts addOwnPhone).
import { expect, test } from "@playwright/test";
import { addOwnPhone, control, removeOwnPhone } from "./fleet";
import { adminCredentials, apiToken, axeClean, bearer, fitsAt390, login } from "./helpers";

const SITE = "e2e-freshness";
const ageOf = (text: string | null) => Number(/last answer (\d+) sec\. ago/.exec(text ?? "")?.[1] ?? NaN);

test("an offline phone's status is marked stale with its ticking age on its page and in the list, and fresh again when it answers", async ({ page, request }) => {
  test.setTimeout(120_000);
  const phone = await addOwnPhone(request, 190);
  const ip = phone.address.split(":")[0];
  const token = await apiToken(request, adminCredentials());
  const created = await request.post("/api/v1/devices", {
    headers: bearer(token),
    data: { name: phone.name, address: phone.address, username: phone.username, password: phone.password, site: SITE },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  try {
    const status = await request.get(`/api/v1/devices/${id}/status`, { headers: bearer(token) });
    expect(((await status.json()) as { staleAfterS: number }).staleAfterS).toBe(6);

    await login(page, adminCredentials().username, adminCredentials().password);
    await page.goto(`/devices/${id}`);
    const panel = page.getByRole("region", { name: "Registration" });
    const badge = panel.getByTestId("status-badge");
    await expect(badge).toContainText("Registered", { timeout: 30_000 });
    await expect(panel.getByTestId("keepalive-primary")).toContainText("answering");
    await expect(badge).not.toHaveAttribute("data-stale", "true");
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await control(request, `/devices/${ip}/fault`, { mode: "offline" });
    await expect(badge).toHaveAttribute("data-stale", "true", { timeout: 30_000 });
    const note = badge.getByTestId("stale");
    await expect(note).toHaveText(/^stale · last answer \d+ sec\. ago$/);
    const firstAge = ageOf(await note.textContent());
    expect(firstAge).toBeGreaterThanOrEqual(6);
    // What the phone said before it went silent is said in the past tense, not as now.
    await expect(panel.getByTestId("keepalive-primary")).toContainText(/was (not )?answering/);
    await expect(panel.getByTestId("registration-status")).toContainText("(stale)");
    // The age moves on by itself (the page's clock ticks; nothing is reloaded).
    await expect.poll(async () => ageOf(await note.textContent()), { timeout: 20_000 }).toBeGreaterThan(firstAge);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await axeClean(page, "device page with a stale status");
    await fitsAt390(page, "device page with a stale status");

    await page.goto(`/devices?site=${SITE}`);
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: phone.name, exact: true }) });
    const cell = row.getByTestId("status-badge");
    await expect(cell).toHaveAttribute("data-stale", "true");
    await expect(cell.getByTestId("stale")).toHaveText(/^stale · last answer \d+ sec\. ago$/);
    await axeClean(page, "device list with a stale row");

    await control(request, `/devices/${ip}/fault`, { mode: "none" });
    await expect(cell).not.toHaveAttribute("data-stale", "true", { timeout: 45_000 });
    await expect(cell).toContainText("since");
  } finally {
    await control(request, `/devices/${ip}/fault`, { mode: "none" }).catch(() => {});
    await request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
    await removeOwnPhone(request, phone);
  }
});
