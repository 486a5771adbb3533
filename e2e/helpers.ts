// Shared Playwright helpers: sign-in through the real login page, API sessions, throwaway users.
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export type Credentials = { username: string; password: string };

/** The first admin the e2e server is started with (playwright.config.ts passes the same env). */
export function adminCredentials(): Credentials {
  return {
    username: process.env.E2E_ADMIN_USERNAME ?? "admin",
    password: process.env.E2E_ADMIN_PASSWORD ?? "admin-pass-e2e",
  };
}

/** A suffix that keeps names unique across tests and runs (tests share one database). */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Signs in through /login and waits until the portal has navigated away from it. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Opens an API session (POST /api/v1/session) and returns its Bearer token. */
export async function apiToken(request: APIRequestContext, creds: Credentials): Promise<string> {
  const res = await request.post("/api/v1/session", { data: creds });
  expect(res.status(), `sign-in as ${creds.username}`).toBe(200);
  const body = (await res.json()) as { token: string };
  return body.token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Creates a viewer account through the admin API (POST /api/v1/users) and returns its credentials. */
export async function createViewer(request: APIRequestContext): Promise<Credentials> {
  const token = await apiToken(request, adminCredentials());
  const viewer = { username: unique("viewer"), password: "viewer-pass-e2e-1" };
  const res = await request.post("/api/v1/users", { headers: bearer(token), data: { ...viewer, role: "viewer" } });
  expect(res.ok(), `create viewer: ${res.status()} ${await res.text()}`).toBe(true);
  return viewer;
}

/** Creates a device through the API as admin; returns its id. */
export async function createDeviceViaApi(
  request: APIRequestContext,
  device: { name: string; address: string; site?: string; tags?: string[] },
): Promise<string> {
  const token = await apiToken(request, adminCredentials());
  const res = await request.post("/api/v1/devices", { headers: bearer(token), data: device });
  expect(res.status(), `create device: ${await res.text()}`).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/**
 * "Read from device" through the API (POST …/sync) and wait for it: the portal then holds the phone's values and
 * the page shows its form. `request` is page.request (the session cookie) or a request with Bearer `headers`.
 */
export async function readFromPhone(request: APIRequestContext, deviceId: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await request.post(`/api/v1/devices/${deviceId}/sync`, { headers });
  expect(res.status(), `read device ${deviceId}: ${await res.text()}`).toBe(200);
}

/** A loopback address:port no other test uses (the device API is never contacted by these tests). */
export function uniqueAddress(): string {
  const n = Math.floor(Math.random() * 250) + 1;
  const port = 10_000 + Math.floor(Math.random() * 50_000);
  return `127.77.${Math.floor(Math.random() * 250) + 1}.${n}:${port}`;
}

/**
 * The page's width at the current viewport, and the elements sticking out past its right edge (the outermost
 * ones, for the failure message) — a page that fits has no sideways scrolling.
 */
export async function pageOverflow(page: Page): Promise<{ width: number; offenders: string[] }> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (el.getBoundingClientRect().right <= vw + 0.5) continue;
      // Only the outermost: skip those inside an offender or inside a scroll region that contains them.
      if (el.parentElement && el.parentElement.getBoundingClientRect().right > vw + 0.5) continue;
      if (el.closest("[role=region][tabindex]") && el.closest("[role=region][tabindex]") !== el) continue;
      const path: string[] = [];
      for (let a: HTMLElement | null = el; a && path.length < 4; a = a.parentElement) path.push(`${a.tagName.toLowerCase()}${a.getAttribute("data-testid") ? `[${a.getAttribute("data-testid")}]` : ""}`);
      offenders.push(`${path.join(" < ")} (${String(el.className).slice(0, 50)}) → ${Math.round(el.getBoundingClientRect().right)}px`);
      if (offenders.length >= 5) break;
    }
    return { width: document.documentElement.scrollWidth, offenders };
  });
}

/** No axe violations on the page (or inside `include`, a CSS selector); the message names each rule and where. */
export async function axeClean(page: Page, where: string, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const results = await builder.analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`), `axe on ${where}`).toEqual([]);
}

/** The page has no sideways scroll at 390 px; the viewport is put back to 1280 × 900 afterwards. */
export async function fitsAt390(page: Page, where: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  const { width, offenders } = await pageOverflow(page);
  expect(width, `${where} is ${width} px wide at 390 px: ${offenders.join("; ")}`).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
}
