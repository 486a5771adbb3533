// /proxies live: a phone of this spec's own is configured with an outbound proxy that is a real Kamailio started
// here (so no other spec's phones depend on it); stopping that Kamailio turns its card "Down" without a reload,
// starting it again turns it "Up" — driven by the portal's own SIP OPTIONS probes (PROXY_PROBE_INTERVAL_S=2).
import { expect, test } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";
import { addOwnPhone, removeOwnPhone } from "./fleet";
import { adminCredentials, apiToken, bearer, login } from "./helpers";
import { E2eKamailio, kamailioInstalled } from "./kamailio";

const SIP = "voip/signalling/sip";

test.describe("proxy health", () => {
  test.skip(!kamailioInstalled(), "needs /usr/sbin/kamailio");

  test("the /proxies page shows a proxy going down and coming back, live", async ({ page, request }) => {
    test.setTimeout(120_000);
    const host = E2E_FLEET.firstIp.replace(/\.\d+\.\d+$/, ".254.1");
    const kamailio = new E2eKamailio(host);
    await kamailio.start();
    const phone = await addOwnPhone(request, 121, { [`${SIP}/sip_outbound_proxy/enabled`]: 1, [`${SIP}/sip_outbound_proxy/addr`]: host, [`${SIP}/sip_outbound_proxy/port`]: 5060 });
    const token = await apiToken(request, adminCredentials());
    let id: string | null = null;
    try {
      const created = await request.post("/api/v1/devices", { headers: bearer(token), data: { name: "proxies-spec-phone", address: phone.address, username: phone.username, password: phone.password } });
      expect(created.status(), await created.text()).toBe(201);
      id = ((await created.json()) as { id: string }).id;
      // Reading its configuration tells the portal which proxies it uses.
      const sync = await request.post(`/api/v1/devices/${id}/sync`, { headers: bearer(token) });
      expect(sync.ok(), await sync.text()).toBe(true);

      await login(page, adminCredentials().username, adminCredentials().password);
      await page.goto("/proxies");
      await expect(page.getByTestId("proxies-live")).toHaveText("Live");
      const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: `${host}:5060`, exact: true }) });
      await expect(card.getByTestId("proxy-state")).toContainText("Up", { timeout: 30_000 });
      await expect(card).toContainText("1 outbound");
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

      await kamailio.stop();
      await expect(card.getByTestId("proxy-state")).toContainText("Down", { timeout: 30_000 });
      await expect(card).toContainText("no answer to SIP OPTIONS");
      await expect(card.getByRole("list", { name: `Timeline of ${host}:5060` })).toContainText("down");

      await kamailio.start();
      await expect(card.getByTestId("proxy-state")).toContainText("Up", { timeout: 30_000 });
      await expect(card.getByRole("list", { name: `Timeline of ${host}:5060` }).getByRole("listitem")).toHaveCount(3);
      // Never reloaded: the marker set before the outage is still there.
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

      await card.getByText(/Phones that depend on it/).click();
      await expect(card.getByRole("link", { name: "proxies-spec-phone" })).toBeVisible();
    } finally {
      if (id) await request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
      await removeOwnPhone(request, phone);
      await kamailio.dispose();
    }
  });
});
