// Issue 11, "reachable by phones": the production start (`npm start` = server.mjs) on HOST with TLS_CERT_FILE /
// TLS_KEY_FILE serves HTTPS, and a phone given an https:// provisioning URL fetches its <mac>.cfg over it. Its own
// portal (E2E_PORT+300 on <net>.3.100, its own data dir, a self-signed certificate made here with openssl) and its own
// emulator phone (<net>.3.1, audiocodes-hd, provisioning). The phone's truth — its fetch log and the provisioning
// keys it stored from the file — comes from the emulator's control surface.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";

const NET = E2E_FLEET.firstIp.split(".").slice(0, 2).join(".");
const HOST = `${NET}.3.100`;
const PORT = Number(process.env.E2E_PORT ?? 3100) + 300;
const BASE = `https://${HOST}:${PORT}`;
const DATA_DIR = `${E2E_FLEET.manifest.replace(/-fleet\.json$/, "")}-https`;
const PHONE_IP = `${NET}.3.1`;
// The emulator's MAC: the audiocodes-hd OUI 00:90:8f + the phone address's last three bytes.
const MAC = `00908f${PHONE_IP.split(".").slice(1).map((b) => Number(b).toString(16).padStart(2, "0")).join("")}`;
const CONTROL_PORT = E2E_FLEET.controlPort + 130;
const ADMIN = { username: "tls-admin", password: "tls-pass-e2e" };
const PHONES = { username: "phones", password: "tls-phones-pw" };

const children: ChildProcess[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "e2e-tls-"));

function startGroup(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  // Its own process group: everything it starts is stopped with it.
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: "ignore", detached: true });
  children.push(child);
  return child;
}

test.afterAll(() => {
  for (const c of children) {
    try {
      if (c.pid) process.kill(-c.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test("npm start with TLS serves HTTPS, and a phone fetches its file over https://", async ({ playwright }) => {
  test.setTimeout(180_000);
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${HOST}`, "-addext", `subjectAltName=IP:${HOST}`, "-keyout", key, "-out", cert], { encoding: "utf8" });
  expect(made.status, made.stderr).toBe(0);
  rmSync(DATA_DIR, { recursive: true, force: true });
  startGroup("node", ["server.mjs"], {
    HOST,
    PORT: String(PORT),
    TLS_CERT_FILE: cert,
    TLS_KEY_FILE: key,
    DATA_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    PROVISIONING_USERNAME: PHONES.username,
    PROVISIONING_PASSWORD: PHONES.password,
  });
  // The certificate is self-signed: this client accepts it; the phone (emulator) does not verify certificates.
  const api = await playwright.request.newContext({ baseURL: BASE, ignoreHTTPSErrors: true, extraHTTPHeaders: { Origin: BASE } });
  try {
    await expect.poll(async () => api.get("/login").then((r) => r.status(), () => 0), { timeout: 90_000, intervals: [1_000] }).toBe(200);
    // Plain HTTP on the same port is not served.
    await expect(fetch(`http://${HOST}:${PORT}/login`).then((r) => r.status)).rejects.toThrow();

    const session = await api.post("/api/v1/session", { data: ADMIN });
    expect(session.status()).toBe(200);
    // Idle connections outlive an API client's pause between calls (Node's 5 s default raced them: ECONNRESET).
    expect(session.headers()["keep-alive"]).toBe("timeout=65");
    const headers = { Authorization: `Bearer ${((await session.json()) as { token: string }).token}` };
    const created = await api.post("/api/v1/devices", { headers, data: { name: "TLS phone", address: `${PHONE_IP}:8080`, driver: "provisioning", model: "audiocodes-hd", mac: MAC } });
    expect(created.status(), await created.text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;

    startGroup("npx", [
      "tsx", "emulator/src/cli.ts", "--mix", "provisioning@audiocodes-hd:1", "--first-ip", PHONE_IP, "--http-port", "8080",
      "--provisioning-url", `https://${PHONES.username}:${PHONES.password}@${HOST}:${PORT}/provisioning`, "--control-port", String(CONTROL_PORT), "--no-sip",
    ], {});
    const control = async <T>(p: string) => (await (await fetch(`http://127.0.0.1:${CONTROL_PORT}${p}`)).json()) as T;
    await expect.poll(async () => fetch(`http://127.0.0.1:${CONTROL_PORT}/health`).then((r) => r.ok, () => false), { timeout: 30_000 }).toBe(true);

    // The phone's own log: its boot fetch of <mac>.cfg over https got the file.
    await expect
      .poll(async () => (await control<Array<{ url: string; status: number }>>(`/devices/${PHONE_IP}/fetches`)).map((f) => `${f.status} ${f.url}`), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(new RegExp(`^200 https://.*${HOST.replace(/\./g, "\\.")}:${PORT}/provisioning/${MAC}\\.cfg$`)));
    // The file keeps it on https, at the address it asked for.
    const stored = await control<{ values: Record<string, unknown> }>(`/devices/${PHONE_IP}/config`);
    expect(stored.values["provisioning/method"]).toBe("STATIC");
    expect(stored.values["provisioning/configuration/url"]).toBe(`https://${PHONES.username}:${PHONES.password}@${HOST}:${PORT}/provisioning/`);
    // The portal recorded the fetch (the device page's list).
    const prov = await api.get(`/api/v1/devices/${id}/provisioning`, { headers });
    expect(((await prov.json()) as { fetches: unknown[] }).fetches.length).toBeGreaterThan(0);
  } finally {
    await api.dispose();
  }
});
