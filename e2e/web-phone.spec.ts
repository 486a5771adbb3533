// Issue 11: phones managed through their AudioCodes-family web interface (driver `web`, 310HD key tree). The spec
// starts its own emulator process — two `--api web --key-profile audiocodes-hd` phones on <net>.0.180–181 that
// register with the shared fleet's demo registrar — so nothing here touches another spec's phones.
//   1. A web phone's page: what the driver proves and a link to the phone's own page; the form shows the values read
//      from the phone; a change is pushed, "verified by read-back", and the phone's own stored config (the emulator's
//      control surface, in its key tree) holds it; the registration status read from the web interface is shown.
//   2. "Point at provisioning server": behind a confirmation that names what happens, the portal writes the phone's
//      provisioning URL through its web interface, the device becomes a provisioning phone, and the phone fetches its
//      <mac>.cfg from the portal (the page shows "fetched revision N"; the phone's own fetch log and stored keys agree).
import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";
import { adminCredentials, apiToken, axeClean, bearer, fitsAt390, login, unique } from "./helpers";

const NET = E2E_FLEET.firstIp.split(".").slice(0, 2).join(".");
const FIRST_IP = `${NET}.0.180`; // own octets 180–181 (see addOwnPhone's list in e2e/fleet.ts)
const PHONE = { edit: `${NET}.0.180`, point: `${NET}.0.181` };
const CONTROL_PORT = E2E_FLEET.controlPort + 110; // provisioning.spec's own emulator has +100
const WEB_LOGIN = { username: "admin", password: "web-pass-e2e" };
const SIP = "voip/signalling/sip/";
const HD_RED = `${SIP}redundant_proxy/`;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

let emulator: ChildProcess | undefined;
const created: string[] = [];

async function control<T>(path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${CONTROL_PORT}${path}`);
  if (!res.ok) throw new Error(`emulator control ${path} answered ${res.status}`);
  return (await res.json()) as T;
}
const phoneStored = async (ip: string) => (await control<{ values: Record<string, unknown> }>(`/devices/${ip}/config`)).values;

async function addWebPhone(request: APIRequestContext, ip: string): Promise<{ id: string; name: string }> {
  const token = await apiToken(request, adminCredentials());
  const name = unique("web");
  const res = await request.post("/api/v1/devices", {
    headers: bearer(token),
    data: { name, address: `${ip}:8080`, ...WEB_LOGIN, driver: "web", model: "audiocodes-hd", site: "e2e-web" },
  });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  created.push(id);
  return { id, name };
}

test.beforeAll(async () => {
  emulator = spawn(
    "npx",
    [
      "tsx", "emulator/src/cli.ts", "--devices", "2", "--first-ip", FIRST_IP, "--http-port", "8080", "--api", "web", "--key-profile", "audiocodes-hd",
      "--username", WEB_LOGIN.username, "--password", WEB_LOGIN.password, "--proxy", E2E_FLEET.primary, "--t1", "100", "--ka-period", "1",
      "--control-port", String(CONTROL_PORT),
    ],
    // Its own process group: npx → tsx → node, all stopped together afterwards.
    { stdio: "ignore", detached: true },
  );
  await expect.poll(async () => fetch(`http://127.0.0.1:${CONTROL_PORT}/health`).then((r) => r.ok, () => false), { timeout: 30_000 }).toBe(true);
});

test.afterAll(async ({ request }) => {
  if (emulator?.pid) {
    try {
      process.kill(-emulator.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const token = await apiToken(request, adminCredentials());
  for (const id of created) await request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
});

test("a web-interface phone: read, changed, pushed and verified by read-back, its registration shown", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, adminCredentials().username, adminCredentials().password);
  const { id, name } = await addWebPhone(page.request, PHONE.edit);
  await page.goto(`/devices/${id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // What this driver proves, and the phone's own pages.
  await expect(page.getByTestId("device-driver")).toHaveText("Web interface (AudioCodes family)");
  await expect(page.getByTestId("driver-proof")).toHaveText(/verified by read-back/);
  await expect(page.getByRole("link", { name: /Open the phone's own web page/ })).toHaveAttribute("href", `http://${PHONE.edit}:8080/`);

  // Read from the phone (the portal reads a new device at once): the form holds the phone's own values.
  await expect(page.getByTestId("config-state")).toHaveText("In sync", { timeout: 30_000 });
  const before = await phoneStored(PHONE.edit);
  await expect(field(page, "Proxy address")).toHaveValue(String(before[`${SIP}proxy_address`]));
  await expect(field(page, "Redundant proxy port")).toHaveValue(String(before[`${HD_RED}port`]));
  // The model lacks STUN: listed with the reason, without a control or a value.
  const stun = page.locator("[data-field='voip/signalling/sip/stun/enabled']");
  await expect(stun).toContainText("Not supported by this model");
  await expect(stun.locator("input, select")).toHaveCount(0);

  // The registration status the poller reads from the phone's /voip_status.cgi.
  await expect(page.getByTestId("status-badge")).toContainText("Registered", { timeout: 30_000 });

  await field(page, "Use redundant proxy").check();
  await field(page, "Redundant proxy address").fill("192.0.2.88");
  await field(page, "Redundant proxy port").fill("5088");
  await page.getByRole("button", { name: "Save and push" }).click();
  await expect(page.getByTestId("push-result")).toHaveText(/Pushed — .*verified by read-back/, { timeout: 30_000 });
  await expect(page.getByTestId("config-state")).toHaveText("In sync");

  // The phone's own truth, in its key tree (not the portal's word for it).
  const after = await phoneStored(PHONE.edit);
  expect(after[`${HD_RED}enabled`]).toBe(1);
  expect(after[`${HD_RED}address`]).toBe("192.0.2.88");
  expect(after[`${HD_RED}port`]).toBe(5088);
  expect(after[`${SIP}proxy_address`]).toBe(before[`${SIP}proxy_address`]);

  // Read back again from the phone: the form still shows what it holds.
  await page.reload();
  await expect(field(page, "Redundant proxy port")).toHaveValue("5088");
  await axeClean(page, "a web phone's page");
  await fitsAt390(page, "the web phone's page");
});

test("point a web phone at the provisioning server: confirmed, switched, and the phone fetches its file", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await login(page, adminCredentials().username, adminCredentials().password);
  const { id, name } = await addWebPhone(page.request, PHONE.point);
  await page.goto(`/devices/${id}`);
  await expect(page.getByTestId("config-state")).toHaveText("In sync", { timeout: 30_000 });
  expect((await phoneStored(PHONE.point))["provisioning/method"]).toBe("DYNAMIC");

  await page.getByRole("button", { name: "Point at provisioning server…" }).click();
  const dialog = page.getByRole("dialog", { name: `Switch ${name} to provisioning?` });
  await expect(dialog).toContainText("whole configuration");
  const portal = dialog.getByLabel("Portal address as the phone reaches it");
  await expect(portal).toHaveValue(baseURL!);
  await axeClean(page, "the point-at-provisioning dialog", "dialog[open]");
  // A bad address is refused with a clear message, nothing happens.
  await portal.fill("ftp://portal");
  await dialog.getByRole("button", { name: "Point at provisioning server" }).click();
  await expect(portal).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByTestId("point-error")).toContainText("http or https");
  expect((await phoneStored(PHONE.point))["provisioning/method"]).toBe("DYNAMIC");
  await portal.fill(baseURL!);
  await dialog.getByRole("button", { name: "Point at provisioning server" }).click();

  const result = page.getByTestId("point-result");
  await expect(result).toContainText(/fetched revision (\d+)/, { timeout: 30_000 });
  const revision = Number(/fetched revision (\d+)/.exec((await result.textContent()) ?? "")![1]);
  await expect(page.getByTestId("device-driver")).toHaveText("Provisioning (phone pulls its file)");
  await expect(page.getByTestId("driver-proof")).toHaveText("delivered — the phone fetches it");
  await expect(page.getByTestId("last-fetch")).toContainText(`fetched revision ${revision} (the current one)`);
  await expect(page.getByRole("button", { name: "Point at provisioning server…" })).toHaveCount(0);

  // The phone: its provisioning keys point at the portal, and its own log shows it fetched <mac>.cfg.
  const stored = await phoneStored(PHONE.point);
  expect(stored["provisioning/method"]).toBe("STATIC");
  expect(String(stored["provisioning/configuration/url"])).toMatch(new RegExp(`^http://[^:]+:[^@]+@${baseURL!.replace(/^http:\/\//, "").replace(/\./g, "\\.")}/provisioning/$`));
  const mac = (page.getByTestId("device-mac"));
  const macHex = ((await mac.textContent()) ?? "").replace(/:/g, "");
  expect(macHex).toMatch(/^[0-9a-f]{12}$/);
  const fetches = await control<Array<{ url: string; status: number }>>(`/devices/${PHONE.point}/fetches`);
  expect(fetches.some((f) => f.url.endsWith(`/provisioning/${macHex}.cfg`) && f.status === 200), JSON.stringify(fetches)).toBe(true);
  await axeClean(page, "the switched phone's page");
});
