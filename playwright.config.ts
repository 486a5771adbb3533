import { defineConfig } from "@playwright/test";

// End-to-end tests drive Debian's Chromium (no browser download) against a production build
// (`next build` runs before this in scripts/test.mjs) with a fresh data dir (its embedded PostgreSQL is started by the portal).
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";
// An emulated fleet for the end-to-end tests (see e2e/fleet.ts for which spec uses which phones).
// E2E_NET lets parallel runs (developers, helpers) use disjoint loopback ranges.
const NET = process.env.E2E_NET ?? "127.50";
export const E2E_FLEET = {
  firstIp: `${NET}.0.1`,
  devices: 12,
  controlPort: Number(process.env.E2E_CONTROL_PORT ?? 7170),
  manifest: `${DATA_DIR}-fleet.json`,
  stateDir: `${DATA_DIR}-emulator`,
  primary: `${NET}.255.1:5060`,
  redundant: `${NET}.255.2:5060`,
};
export const E2E_ADMIN = {
  username: process.env.E2E_ADMIN_USERNAME ?? "admin",
  password: process.env.E2E_ADMIN_PASSWORD ?? "admin-pass-e2e",
};

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI_JSON_REPORT
    ? [["list"], ["json", { outputFile: process.env.CI_JSON_REPORT }]]
    : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // page.request / request are not browser fetches and send no Origin; the portal refuses a cookie-authenticated
    // mutation without one (lib/api/origin.ts). The portal's own pages send exactly this origin.
    extraHTTPHeaders: { Origin: `http://127.0.0.1:${PORT}` },
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      // Short SIP timers (T1 100 ms → 6.4 s transaction timeout, keep-alive every 1 s) so failovers show quickly.
      command:
        `rm -rf ${E2E_FLEET.stateDir} && npx tsx emulator/src/cli.ts --devices ${E2E_FLEET.devices} --first-ip ${E2E_FLEET.firstIp} ` +
        `--http-port 8080 --proxy ${E2E_FLEET.primary} --redundant-proxy ${E2E_FLEET.redundant} --start-proxies ` +
        `--t1 100 --ka-period 1 --manifest ${E2E_FLEET.manifest} --control-port ${E2E_FLEET.controlPort} ` +
        `--state-dir ${E2E_FLEET.stateDir}`,
      url: `http://127.0.0.1:${E2E_FLEET.controlPort}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
    command: `rm -rf ${DATA_DIR} && node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${PORT} --keepAliveTimeout 65000`,
    url: `http://127.0.0.1:${PORT}/login`,
    env: {
      DATA_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      ADMIN_USERNAME: E2E_ADMIN.username,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      POLL_INTERVAL_S: "2",
      PROXY_PROBE_INTERVAL_S: "2",
      PROXY_PROBE_TIMEOUT_MS: "1500",
      // The dashboard trend's stored samples (lib/trend): often, so a fresh run has some to draw.
      STATUS_SAMPLE_INTERVAL_S: "2",
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    },
  ],
});
