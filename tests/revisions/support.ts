// Shared set-up for the revision/backup suites: a database of its own with users (tests/api/support), an emulated fleet
// on this suite's loopback range (127.48.x.x), and an independent reader of a phone's own HTTP API.
import { afterAll, beforeAll } from "vitest";
import { request } from "undici";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { closeDeviceClients } from "@/lib/device";
import { useApiFixture } from "../api/support";

export const DEVICE_USER = "admin";
export const DEVICE_PASS = "dev-pass-48";
export const SIP_SECRET = "sip-secret-48";
export const SIP = "voip/signalling/sip";
export const PW = "voip/line/0/auth_password";

export function useRevisionFixture(firstIp: string, devices: number) {
  const api = useApiFixture();
  const state = { fleet: null as Emulator | null };
  beforeAll(async () => {
    // HTTP API only: these suites are about config, not registration.
    state.fleet = await startFleet({ devices, firstIp, httpPort: 8080, username: DEVICE_USER, password: DEVICE_PASS, sipPassword: SIP_SECRET, sip: false });
  });
  afterAll(async () => {
    await closeDeviceClients();
    await state.fleet?.stop();
  });
  return { api, state };
}

/** What the phone itself answers on GET /api/v1/config — not through the portal or lib/device. */
export async function readPhone(ip: string): Promise<{ revision: number; values: Record<string, string | number> }> {
  const res = await request(`http://${ip}:8080/api/v1/config`, {
    headers: { authorization: `Basic ${Buffer.from(`${DEVICE_USER}:${DEVICE_PASS}`).toString("base64")}` },
  });
  const body = (await res.body.json()) as { revision: number; values: Record<string, string | number> };
  if (res.statusCode !== 200) throw new Error(`phone ${ip} answered ${res.statusCode}: ${JSON.stringify(body)}`);
  return body;
}
