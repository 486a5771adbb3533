// Issue 11: `npm run demo` starts a mixed fleet, so a new user sees all three drivers. This spec runs the real
// scripts/demo.mjs (its own portal on E2E_PORT+200 with its own data dir, its own emulator and demo registrars on
// <net>.2.x; the build this run already made) with 5 phones: 3 on the JSON API, 1 web interface, 1 provisioning.
// It checks what the new user sees: the inventory lists the three drivers; the web phone is read and registered
// through its web interface; the provisioning phone fetched its file from the demo portal and stays registered.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";

const NET = E2E_FLEET.firstIp.split(".").slice(0, 2).join(".");
const PORT = Number(process.env.E2E_PORT ?? 3100) + 200;
const BASE = `http://127.0.0.1:${PORT}`;
const DATA_DIR = `${E2E_FLEET.manifest.replace(/-fleet\.json$/, "")}-demo`;
const ADMIN = { username: "demo-admin", password: "demo-pass-e2e" };

let demo: ChildProcess | undefined;

test.afterAll(() => {
  if (demo?.pid) {
    try {
      process.kill(-demo.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
});

type Listed = { items: Array<{ id: string; name: string; driver: string; model: string; mac: string | null }> };

test("npm run demo: a mixed fleet of api, web and provisioning phones a new user can see working", async ({ playwright }) => {
  test.setTimeout(240_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  demo = spawn("node", ["scripts/demo.mjs"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR,
      DEMO_SKIP_BUILD: "1",
      DEMO_DEVICES: "5",
      DEMO_FIRST_IP: `${NET}.2.1`,
      DEMO_PROXY: `${NET}.2.201:5060`,
      DEMO_REDUNDANT_PROXY: `${NET}.2.202:5060`,
      DEMO_CONTROL_PORT: String(E2E_FLEET.controlPort + 120),
      POLL_INTERVAL_S: "2",
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
    },
    // Its own process group: the demo, its emulator and its portal are stopped together.
    stdio: "ignore",
    detached: true,
  });
  const api = await playwright.request.newContext({ baseURL: BASE, extraHTTPHeaders: { Origin: BASE } });
  try {
    await expect.poll(async () => api.get("/login").then((r) => r.ok(), () => false), { timeout: 90_000, intervals: [1_000] }).toBe(true);
    const session = await api.post("/api/v1/session", { data: ADMIN });
    expect(session.status()).toBe(200);
    const headers = { Authorization: `Bearer ${((await session.json()) as { token: string }).token}` };

    // The seeded inventory: every driver, the web and provisioning phones in the 310HD tree with their MACs.
    const list = async () => (await (await api.get("/api/v1/devices?limit=50", { headers })).json()) as Listed;
    await expect.poll(async () => (await list()).items.length, { timeout: 30_000 }).toBe(5);
    const items = (await list()).items;
    const count = (driver: string) => items.filter((d) => d.driver === driver).length;
    expect({ api: count("api"), web: count("web"), provisioning: count("provisioning") }).toEqual({ api: 3, web: 1, provisioning: 1 });
    const web = items.find((d) => d.driver === "web")!;
    const prov = items.find((d) => d.driver === "provisioning")!;
    expect(web.model).toBe("audiocodes-hd");
    expect(prov).toMatchObject({ model: "audiocodes-hd", mac: expect.stringMatching(/^00908f[0-9a-f]{6}$/) });

    // The web phone: read through its web interface, and registered (status from /voip_status.cgi).
    await expect.poll(async () => ((await (await api.get(`/api/v1/devices/${web.id}/config`, { headers })).json()) as { state: string }).state, { timeout: 60_000 }).toBe("in_sync");
    await expect.poll(async () => ((await (await api.get(`/api/v1/devices/${web.id}/status`, { headers })).json()) as { state: string | null }).state, { timeout: 60_000 }).toBe("registered");

    // The provisioning phone fetched its file from the demo portal (its period is 60 s): the portal recorded it, and
    // the phone's own log (the emulator's control surface) shows the file served (mix order: api ×3, web, provisioning).
    await expect
      .poll(async () => ((await (await api.get(`/api/v1/devices/${prov.id}/provisioning`, { headers })).json()) as { fetches: unknown[] }).fetches.length, { timeout: 120_000, intervals: [2_000] })
      .toBeGreaterThan(0);
    const fetches = (await (await fetch(`http://127.0.0.1:${E2E_FLEET.controlPort + 120}/devices/${NET}.2.5/fetches`)).json()) as Array<{ url: string; status: number }>;
    expect(fetches.some((f) => f.url.includes(`127.0.0.1:${PORT}/provisioning/${prov.mac}.cfg`) && f.status === 200), JSON.stringify(fetches)).toBe(true);
  } finally {
    await api.dispose();
  }
});
