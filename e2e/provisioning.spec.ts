// Issue 11: a provisioning phone end to end. A phone of this spec's own (a second emulator process, one
// audiocodes-hd phone on <net>.0.175 that pulls its file from the portal) asks for its file with the credentials the
// settings page shows, is listed under unknown phones, is adopted by MAC through the add dialog, and a change of its
// redundant proxy reaches it through check-sync: the page says "fetched revision N" and the phone's own stored config
// (the emulator's control surface, in the phone's key tree) holds the new values. Axe and the 390 px layout of the
// new sections are checked on the way.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";
import { adminCredentials, apiToken, axeClean, bearer, fitsAt390, login, unique } from "./helpers";

const NET = E2E_FLEET.firstIp.split(".").slice(0, 2).join(".");
const PHONE_IP = `${NET}.0.175`; // own octet: bulk-real-values has 170 and 171
// The spec's emulator has its own control surface, next to the shared fleet's.
const CONTROL_PORT = E2E_FLEET.controlPort + 100;
const MANIFEST = `${E2E_FLEET.manifest.replace(/\.json$/, "")}-provisioning.json`;
const HD_RED = "voip/signalling/sip/redundant_proxy/";
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

let emulator: ChildProcess | undefined;
let deviceId = "";

async function phoneStored(): Promise<{ revision: number; values: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${CONTROL_PORT}/devices/${PHONE_IP}/config`);
  if (!res.ok) throw new Error(`emulator control answered ${res.status}`);
  return (await res.json()) as { revision: number; values: Record<string, unknown> };
}

test.afterAll(async ({ request }) => {
  if (emulator?.pid) {
    try {
      process.kill(-emulator.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  if (deviceId) {
    const token = await apiToken(request, adminCredentials());
    await request.delete(`/api/v1/devices/${deviceId}`, { headers: bearer(token) });
  }
});

test("a provisioning phone: unknown → adopted by MAC → redundant proxy changed → fetched revision N on the phone", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await login(page, adminCredentials().username, adminCredentials().password);

  // Settings: the URL to give phones, with the shared credentials revealed on demand.
  await page.goto("/settings");
  const section = page.getByTestId("provisioning-settings");
  await expect(section.getByRole("heading", { name: "Provisioning" })).toBeVisible();
  await expect(section.getByTestId("provisioning-password")).toHaveText("********");
  await section.getByRole("button", { name: "Show credentials" }).click();
  const username = (await section.getByTestId("provisioning-username").textContent())!.trim();
  const password = (await section.getByTestId("provisioning-password").textContent())!.trim();
  expect(password).not.toBe("********");
  const url = (await section.getByTestId("provisioning-url").textContent())!.trim();
  expect(url).toBe(`${baseURL!.replace("://", `://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`)}/provisioning/`);
  await axeClean(page, "/settings provisioning section", "[data-testid=provisioning-settings]");

  // The phone boots with that URL (what DHCP option 160 would give it) and asks for a file the portal does not know.
  emulator = spawn(
    "npx",
    ["tsx", "emulator/src/cli.ts", "--mix", "provisioning@audiocodes-hd:1", "--first-ip", PHONE_IP, "--http-port", "8080", "--provisioning-url", url.replace(/\/$/, ""), "--manifest", MANIFEST, "--control-port", String(CONTROL_PORT), "--t1", "100"],
    // Its own process group: npx → tsx → node, all stopped together afterwards.
    { stdio: "ignore", detached: true },
  );
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${CONTROL_PORT}/health`).then((r) => r.ok, () => false)), { timeout: 30_000 }).toBe(true);
  const mac = (JSON.parse(readFileSync(MANIFEST, "utf8")) as Array<{ mac: string }>)[0].mac.replace(/[:-]/g, "").toLowerCase();
  const pretty = mac.match(/.{2}/g)!.join(":");
  await expect.poll(async () => ((await (await fetch(`http://127.0.0.1:${CONTROL_PORT}/devices/${PHONE_IP}/fetches`)).json()) as Array<{ status: number }>).map((f) => f.status), { timeout: 20_000 }).toContain(404);

  await page.reload();
  const unknown = page.getByTestId("unknown-phones");
  await expect(unknown.getByRole("rowheader", { name: pretty })).toBeVisible();
  await fitsAt390(page, "/settings");
  await axeClean(page, "/settings with unknown phones", "[data-testid=provisioning-settings]");

  // Adopt: the add dialog opens with the driver, the MAC and (from the user agent) the model filled in.
  await unknown.getByRole("button", { name: `Adopt ${pretty}` }).click();
  const dialog = page.getByRole("dialog", { name: "Add device" });
  await expect(dialog.getByLabel("Driver", { exact: true })).toHaveValue("provisioning");
  await expect(dialog.getByLabel("Model", { exact: true })).toHaveValue("audiocodes-hd");
  await expect(dialog.getByLabel("MAC", { exact: true })).toHaveValue(pretty);
  await axeClean(page, "the add dialog", "dialog[open]");
  const name = unique("prov");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Address", { exact: true }).fill(`${PHONE_IP}:8080`);
  // A malformed MAC gets a clear message; the dashed upper-case spelling of the right one is accepted.
  await dialog.getByLabel("MAC", { exact: true }).fill("00-90-8F-ZZ");
  await dialog.getByRole("button", { name: "Add device" }).click();
  await expect(dialog.getByLabel("MAC", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByText(/MAC must be 12 hex digits/)).toBeVisible();
  await dialog.getByLabel("MAC", { exact: true }).fill(pretty.replaceAll(":", "-").toUpperCase());
  await dialog.getByRole("button", { name: "Add device" }).click();
  const notice = page.getByTestId("adopted-notice");
  await expect(notice).toContainText(`Added ${name}`);
  // Adopted: no longer unknown.
  await expect(page.getByRole("rowheader", { name: pretty })).toHaveCount(0);
  await notice.getByRole("link", { name }).click();

  // The device page: what the driver proves, no fetch of the known file yet, the form of what the portal serves.
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  deviceId = page.url().split("/").pop()!;
  await expect(page.getByTestId("device-mac")).toHaveText(pretty);
  await expect(page.getByTestId("driver-proof")).toHaveText("delivered — the phone fetches it");
  await expect(page.getByTestId("last-fetch")).toContainText("Never fetched");
  await expect(page.getByTestId("not-fetched-yet")).toBeVisible();
  // The model lacks STUN: the parameter is listed with the reason, and without a control or a value.
  const stun = page.locator("[data-field='voip/signalling/sip/stun/enabled']");
  await expect(stun).toContainText("Not supported by this model");
  await expect(stun.locator("input, select")).toHaveCount(0);
  await axeClean(page, "a provisioning phone's page");
  await fitsAt390(page, "a provisioning phone's page");

  await field(page, "Use redundant proxy").check();
  await field(page, "Redundant proxy address").fill("192.0.2.77");
  await field(page, "Redundant proxy port").fill("5077");
  await page.getByRole("button", { name: "Save and push" }).click();
  const result = page.getByTestId("push-result");
  await expect(result).toHaveText(/Delivered — the phone fetched revision (\d+)/, { timeout: 30_000 });
  const revision = Number(/fetched revision (\d+)/.exec((await result.textContent()) ?? "")![1]);
  await expect(page.getByTestId("last-fetch")).toContainText(`fetched revision ${revision} (the current one)`);
  await expect(page.getByRole("table", { name: "Provisioning fetches" })).toContainText(String(revision));
  await expect(page.getByTestId("config-state")).toHaveText("In sync");

  // The phone's own truth, in its own key tree.
  const stored = await phoneStored();
  expect(stored.values[`${HD_RED}enabled`]).toBe(1);
  expect(stored.values[`${HD_RED}address`]).toBe("192.0.2.77");
  expect(stored.values[`${HD_RED}port`]).toBe(5077);
});

test("the inventory filters by driver and model on the server", async ({ page }) => {
  await login(page, adminCredentials().username, adminCredentials().password);
  const token = await apiToken(page.request, adminCredentials());
  const site = unique("filters");
  const ids: string[] = [];
  try {
    for (const [i, d] of [
      { driver: "provisioning", model: "audiocodes-hd", mac: `02:00:00:00:${String(Math.floor(Math.random() * 90) + 10)}:01` },
      { driver: "api", model: "mt505" },
    ].entries()) {
      const res = await page.request.post("/api/v1/devices", { headers: bearer(token), data: { name: `${site}-${i}`, address: `127.82.9.${(Math.floor(Math.random() * 200) + 1)}:${8000 + i}`, site, ...d } });
      expect(res.status(), await res.text()).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await page.goto(`/devices?site=${site}`);
    await expect(page.getByTestId("device-count")).toHaveText("2 matching");
    await page.getByRole("combobox", { name: "Driver", exact: true }).selectOption("provisioning");
    await expect(page).toHaveURL(/driver=provisioning/);
    await expect(page.getByTestId("device-count")).toHaveText("1 matching");
    await expect(page.getByRole("link", { name: `${site}-0` })).toBeVisible();
    // The optional Driver column says it in words.
    await page.getByText("Columns", { exact: true }).click();
    await page.getByRole("checkbox", { name: "Driver", exact: true }).check();
    await expect(page).toHaveURL(/cols=[^&]*driver/);
    const table = page.getByRole("table", { name: "Devices" });
    await expect(table.getByRole("columnheader", { name: /^Driver/ })).toBeVisible();
    await expect(table.getByRole("row", { name: new RegExp(`${site}-0`) })).toContainText("Provisioning");
    await page.getByText("Columns", { exact: true }).click();
    await page.getByRole("combobox", { name: "Driver", exact: true }).selectOption("");
    await page.getByRole("combobox", { name: "Model", exact: true }).selectOption("mt505");
    await expect(page.getByTestId("device-count")).toHaveText("1 matching");
    await expect(page.getByRole("link", { name: `${site}-1` })).toBeVisible();
    await axeClean(page, "/devices with the driver and model filters", "form[role=search]");
  } finally {
    for (const id of ids) await page.request.delete(`/api/v1/devices/${id}`, { headers: bearer(token) });
  }
});
