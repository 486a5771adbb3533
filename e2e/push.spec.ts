import { expect, test, type Page } from "@playwright/test";
import { control, deviceConfig, fleet, PHONES } from "./fleet";
import { adminCredentials, login, readFromPhone, unique } from "./helpers";

// Push from the device page to an emulated phone (fleet phones 0–2 are this spec's), proven by the phone's own API.
const PORT_KEY = "voip/signalling/sip/redundant/redundant_proxy_port";
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

test("edit Redundant proxy port, push, verified on the phone; offline phone → clear error, Retry succeeds", async ({ page, request }) => {
  const phone = fleet()[PHONES.push[0]];
  const ip = phone.address.split(":")[0];
  const { username, password } = adminCredentials();
  await login(page, username, password);
  const res = await page.request.post("/api/v1/devices", {
    data: { name: unique("push"), address: phone.address, username: phone.username, password: phone.password },
  });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: string }).id;

  await readFromPhone(page.request, id);
  await page.goto(`/devices/${id}`);
  await expect(page.getByTestId("last-synced")).toHaveText(/Last read from the phone/);
  await expect(page.getByTestId("config-state")).toHaveText("In sync");

  const before = await deviceConfig(request, phone);
  const newPort = before.values[PORT_KEY] === 5071 ? 5073 : 5071;
  await field(page, "Use redundant proxy").check();
  await field(page, "Redundant proxy port").fill(String(newPort));
  await page.getByRole("button", { name: "Save and push" }).click();
  const result = page.getByTestId("push-result");
  await expect(result).toHaveText(/Pushed — device revision \d+, verified by read-back/);
  const revision = Number(/revision (\d+)/.exec((await result.textContent()) ?? "")?.[1]);
  const after = await deviceConfig(request, phone);
  expect(after.values[PORT_KEY]).toBe(newPort);
  expect(after.revision).toBe(revision);
  expect(revision).toBeGreaterThan(before.revision);

  // The phone drops off the network: the change stays pending, the error is clear, Retry is offered.
  await control(request, `/devices/${ip}/fault`, { mode: "offline" });
  try {
    await field(page, "Redundant proxy port").fill(String(newPort + 1));
    await page.getByRole("button", { name: "Save and push" }).click();
    const error = page.getByTestId("push-error");
    await expect(error).toContainText("Push failed");
    await expect(error).toContainText(/unreachable/);
    await expect(page.getByTestId("config-state")).toHaveText("Push failed — pending");
    await expect(error.getByRole("button", { name: "Retry" })).toBeVisible();
  } finally {
    await control(request, `/devices/${ip}/fault`, { mode: "none" });
  }
  await page.getByTestId("push-error").getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("push-result")).toHaveText(/Pushed — device revision \d+, verified by read-back/);
  await expect(page.getByTestId("config-state")).toHaveText("In sync");
  expect((await deviceConfig(request, phone)).values[PORT_KEY]).toBe(newPort + 1);
});
