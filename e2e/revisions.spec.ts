// Revisions and config.cfg backup on the device page, against a phone of its own (added to the emulated fleet
// for this spec, removed afterwards): restore an older revision, download a backup, upload a changed file.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";
import { control, controlUrl, deviceConfig, fleet, type FleetPhone } from "./fleet";
import { adminCredentials, apiToken, bearer, login, unique } from "./helpers";

const SIP = "voip/signalling/sip";
const IP = E2E_FLEET.firstIp.replace(/\.\d+$/, ".148");
let phone: FleetPhone;
let deviceId = "";

async function push(request: APIRequestContext, values: Record<string, unknown>): Promise<void> {
  const token = await apiToken(request, adminCredentials());
  const res = await request.patch(`/api/v1/devices/${deviceId}/config`, { headers: bearer(token), data: { values } });
  expect(res.status(), await res.text()).toBe(200);
}

test.beforeAll(async ({ request }) => {
  await control(request, "/devices", { ip: IP });
  const first = fleet()[0];
  phone = { ...first, name: unique("rev-phone"), address: `${IP}:8080` };
  const token = await apiToken(request, adminCredentials());
  const res = await request.post("/api/v1/devices", {
    headers: bearer(token),
    data: { name: phone.name, address: phone.address, username: phone.username, password: phone.password },
  });
  expect(res.status(), await res.text()).toBe(201);
  deviceId = ((await res.json()) as { id: string }).id;
  await push(request, { [`${SIP}/use_proxy`]: 1, [`${SIP}/proxy_address`]: "pbx-a.example.com", [`${SIP}/proxy_port`]: 5071 });
  await push(request, { [`${SIP}/proxy_address`]: "pbx-b.example.com", [`${SIP}/proxy_port`]: 5072 });
});

// Both the portal's device and the emulated phone go, so that a retried worker's beforeAll starts clean.
test.afterAll(async ({ request }) => {
  if (deviceId) {
    const token = await apiToken(request, adminCredentials());
    await request.delete(`/api/v1/devices/${deviceId}`, { headers: bearer(token) });
  }
  await request.delete(controlUrl(`/devices/${IP}`));
});

test("restore an older revision from the device page; the phone holds its values again", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  await page.goto(`/devices/${deviceId}`);
  const section = page.getByTestId("revisions");
  const rows = section.locator("tbody tr[data-testid^=revision-]");
  // The first contact read the phone (a sync revision), then came the two pushes.
  await expect(rows).toHaveCount(3);
  await expect(rows.last()).toContainText("Read from device");

  // The newest revision's diff: labels from the catalog, before → after.
  await rows.first().getByRole("button", { name: "2 keys changed" }).click();
  const diff = section.getByTestId("revision-diff");
  await expect(diff.getByRole("row", { name: /Proxy address/ })).toContainText("pbx-a.example.com");
  await expect(diff.getByRole("row", { name: /Proxy address/ })).toContainText("pbx-b.example.com");

  await rows.nth(1).getByRole("button", { name: "Restore this revision" }).click();
  const dialog = page.getByRole("dialog", { name: /Restore revision/ });
  await expect(dialog.getByTestId("restore-diff").getByRole("row", { name: /Proxy port/ })).toContainText("5072");
  await dialog.getByRole("button", { name: "Restore and push" }).click();
  await expect(page.getByTestId("revisions-notice")).toContainText("Restored revision");
  expect((await deviceConfig(request, phone)).values).toMatchObject({ [`${SIP}/proxy_port`]: 5071, [`${SIP}/proxy_address`]: "pbx-a.example.com" });
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText("Restore");
});

test("download config.cfg, upload a changed copy: diff preview, push, the phone has the file's values", async ({ page, request }) => {
  const { username, password } = adminCredentials();
  await login(page, username, password);
  await page.goto(`/devices/${deviceId}`);
  const backup = page.getByTestId("backup");

  const [download] = await Promise.all([page.waitForEvent("download"), backup.getByRole("link", { name: "Download config.cfg" }).click()]);
  expect(download.suggestedFilename()).toBe(`${phone.name}-config.cfg`);
  const text = readFileSync(await download.path(), "utf8");
  expect(text).toContain(`${SIP}/proxy_port=5071`);

  // A malformed file: row errors, no push button.
  await backup.getByLabel("Upload config.cfg").setInputFiles({ name: "bad.cfg", mimeType: "text/plain", buffer: Buffer.from("# bad\nnot a line\n") });
  await expect(backup.getByTestId("upload-errors")).toContainText("Line 2: Expected key=value");
  await expect(backup.getByRole("button", { name: /Push these/ })).toHaveCount(0);

  const changed = text.replace(`${SIP}/proxy_port=5071`, `${SIP}/proxy_port=5090`);
  await backup.getByLabel("Upload config.cfg").setInputFiles({ name: "changed.cfg", mimeType: "text/plain", buffer: Buffer.from(changed) });
  await expect(backup.getByTestId("upload-diff").getByRole("row", { name: /Proxy port/ })).toContainText("5090");
  await backup.getByRole("button", { name: "Push these 1 change" }).click();
  await expect(backup.getByTestId("backup-notice")).toContainText("Pushed 1 change from changed.cfg");
  expect((await deviceConfig(request, phone)).values[`${SIP}/proxy_port`]).toBe(5090);
});
