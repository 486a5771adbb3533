// Issue 13 against the real server (next start): what only the framework layer can show — security headers and
// the CSP nonce, bodies through Next's HTTP stack (no truncation), redirects after sign-in, malformed URLs, and a
// crawl of every page anonymous / with a forged cookie / as a viewer.
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { adminCredentials, apiToken, bearer, createViewer, login, unique } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/** A raw HTTP exchange (Playwright's request client would normalize the URL or set Content-Length). */
function raw(options: http.RequestOptions, write?: (req: http.ClientRequest) => Promise<void>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false — a fresh connection each time (a reused keep-alive socket the server just closed would reset).
    const req = http.request({ host: "127.0.0.1", port: PORT, agent: false, ...options }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    if (write) write(req).then(() => req.end(), reject);
    else req.end();
  });
}

const PAGES = ["/", "/dashboard", "/devices", "/devices/00000000-0000-4000-8000-000000000000", "/bulk", "/jobs", "/jobs/00000000-0000-4000-8000-000000000000", "/status", "/audit", "/users", "/tokens", "/settings"];

test.describe("security (issue 13)", () => {
  test("hole 7: pages carry a nonce CSP, frame-ancestors 'none', nosniff, Referrer-Policy; the app still runs", async ({ page }) => {
    const res = await page.goto("/login");
    const h = res!.headers();
    const csp = h["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-frame-options"]).toBe("DENY");
    // Every inline script Next wrote carries the nonce of this reply.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    for (const n of scripts) expect(n).toBe(nonce);
    // The page hydrated (a client component reacts) under that policy.
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const { username, password } = adminCredentials();
    await login(page, username, password);
    await expect(page.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("hole 7: a framed page is refused by the browser", async ({ page }) => {
    const { username, password } = adminCredentials();
    await login(page, username, password);
    await page.setContent(`<iframe src="http://127.0.0.1:${PORT}/bulk"></iframe>`);
    // Chromium refuses to render it (frame-ancestors 'none' / X-Frame-Options) and shows its error page instead.
    await expect.poll(() => page.frames().map((f) => f.url())).toContainEqual(expect.stringMatching(/^chrome-error:/));
  });

  test("hole 7: API replies are no-store with a deny-all CSP; HSTS only behind HTTPS", async ({ request }) => {
    const res = await request.get("/api/v1/openapi.json");
    expect(res.headers()["cache-control"]).toBe("no-store");
    expect(res.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers()["strict-transport-security"]).toBeUndefined();
    const https = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
  });

  test("hole 2: /login?next= never leaves the site, and a line break in it is no 500", async ({ page }) => {
    const { username, password } = adminCredentials();
    for (const next of ["%2F%09%2Fevil.example%2Fphish", "%2F%0a%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example"]) {
      // Off the portal first: the signed-out /devices of the last round would otherwise send itself to /login on its
      // own (a lost session), racing this navigation (goto then answers null).
      await page.goto("about:blank");
      await page.context().clearCookies();
      const res = await page.goto(`/login?next=${next}`);
      expect(res!.status()).toBe(200);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${PORT}/devices$`));
    }
    // Signed in already: the server-side redirect is safe too.
    const again = await raw({ path: "/login?next=%2F%0a%2Fevil.example", headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } });
    expect(again.status).toBe(307);
    expect(again.headers.location).toBe("/devices");
  });

  test("hole 5: a chunked import larger than the limit is 413 through the real server and imports nothing", async ({ request }) => {
    const token = await apiToken(request, adminCredentials());
    const name = unique("trunc");
    const before = ((await (await request.get(`/api/v1/devices?q=${name}`, { headers: bearer(token) })).json()) as { total: number }).total;
    const res = await raw({ method: "POST", path: "/api/v1/devices/import", headers: { ...bearer(token), "content-type": "text/csv", "transfer-encoding": "chunked" } }, async (req) => {
      req.write(`name,address\n${name},127.84.250.1:80\n`);
      const pad = `#${"x".repeat(1 << 20)}\n`;
      for (let i = 0; i < 11; i++) req.write(pad);
      req.write("Bad,not-an-address\n");
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe("payload_too_large");
    const after = ((await (await request.get(`/api/v1/devices?q=${name}`, { headers: bearer(token) })).json()) as { total: number }).total;
    expect(after).toBe(before);
  });

  test("two-step sign-in: an admin with TOTP on is asked for the code after the password, and gets in with it", async ({ page, request }) => {
    const admin = { username: unique("totp"), password: "totp-admin-pass-1" };
    const rootToken = await apiToken(request, adminCredentials());
    const created = await request.post("/api/v1/users", { headers: bearer(rootToken), data: { ...admin, role: "admin" } });
    expect(created.ok()).toBe(true);
    const { id } = (await created.json()) as { id: string };
    // A second admin outliving this test would change what users.spec sees ("the last admin").
    try {
      const token = await apiToken(request, admin);
      const setup = (await (await request.post("/api/v1/account/totp", { headers: bearer(token) })).json()) as { secret: string };
      const at = (offsetS: number) => generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) + offsetS });
      expect((await request.post("/api/v1/account/totp/confirm", { headers: bearer(token), data: { code: await at(-30) } })).ok()).toBe(true);
      await page.goto("/login");
      await page.getByLabel("Username").fill(admin.username);
      await page.getByLabel("Password").fill(admin.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      const code = page.getByLabel("Authenticator code");
      await expect(code).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
      await code.fill(await at(0));
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).not.toHaveURL(/\/login/);
    } finally {
      await request.delete(`/api/v1/users/${id}`, { headers: bearer(rootToken) });
    }
  });

  test("hole 9: a malformed % escape in the path is a clear 400 (API: the JSON envelope), not Next's bare 500", async ({ request }) => {
    const token = await apiToken(request, adminCredentials());
    for (const path of ["/api/v1/devices/%E0%A4%A", "/api/v1/devices/%ZZ/config", "/api/v1/proxies/10.0.0.5%3", "/api/v1/jobs/abc%"]) {
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const res = await raw({ method, path, headers: bearer(token) });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(JSON.parse(res.body).error.code, `${method} ${path}`).toBe("bad_request");
      }
    }
    const page = await raw({ path: "/devices/%E0%A4%A", headers: bearer(token) });
    expect(page.status).toBe(400);
    expect(page.body).toContain("malformed percent-encoding");
    // A well-formed escape still reaches the route (the proxy's address is URL-encoded there).
    const proxy = await raw({ path: "/api/v1/proxies/127.84.250.9%3A5060", headers: bearer(token) });
    expect(proxy.status).toBe(404);
    expect(JSON.parse(proxy.body).error.code).toBe("not_found");
  });

  test("crawl: every page anonymous and with a forged cookie goes to /login; as a viewer, admin pages refuse", async ({ browser, request }) => {
    for (const cookie of [null, "sap_session=forged-token-0000000000000000000000", "sap_session=%E0%A4%A"]) {
      for (const path of PAGES) {
        const r = await raw({ path, headers: cookie ? { cookie } : {} });
        expect([307, 308], `${path} with ${cookie}`).toContain(r.status);
        // "/" always forwards to /devices, which then asks for a sign-in.
        expect(r.headers.location, `${path} with ${cookie}`).toMatch(path === "/" ? /^\/(login(\?|$)|devices$)/ : /^\/login(\?|$)/);
      }
    }
    const viewer = await createViewer(request);
    const ctx = await browser.newContext();
    const page: Page = await ctx.newPage();
    await login(page, viewer.username, viewer.password);
    await page.goto("/users");
    await expect(page.getByTestId("users-forbidden")).toBeVisible();
    await page.goto("/tokens");
    await expect(page.getByTestId("tokens-forbidden")).toBeVisible();
    await ctx.close();
  });
});
