// A provisioning phone (audiocodes-hd) of the real emulator against the portal's real provisioning route (served over
// HTTP by a small adapter) and the real save path: it never fetches while it is off (failed, clear reason, Retry), it
// fetches its file at boot, and a change reaches its stored config through a digest-challenged check-sync NOTIFY.
// The phone's truth is read from the emulator's control surface, never from the portal. Loopback range 127.64.4.x.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMix, startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import * as list from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as pushRoute from "@/app/api/v1/devices/[id]/config/push/route";
import { closeSharedSipClient } from "@/lib/sip";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { listFetches } from "@/lib/provisioning/store";
import { useApiFixture } from "../api/support";
import { startProvisioningPortal } from "../support/provisioning-portal";

const f = useApiFixture();
const PORTAL = { host: "127.64.4.100", port: 40641 };
const PHONE_IP = "127.64.4.1";
const MAC = "00908f400401"; // the emulator's audiocodes-hd prefix + the address's last three bytes
const LINE_PW = "line-secret";
const RED = "voip/signalling/sip/redundant/";
const HD_RED = "voip/signalling/sip/redundant_proxy/";

let portal: { close(): Promise<void> };
let fleet: Emulator | undefined;
let id = "";

async function phoneConfig(): Promise<{ revision: number; values: Record<string, unknown> }> {
  const res = await request(`http://${fleet!.controlAddress}/devices/${PHONE_IP}/config`);
  return (await res.body.json()) as { revision: number; values: Record<string, unknown> };
}

beforeAll(async () => {
  Object.assign(process.env, { PROVISIONING_USERNAME: "phones", PROVISIONING_PASSWORD: "shared-pw", PROVISIONING_FETCH_TIMEOUT_S: "3", SIP_BIND: "127.64.4.200", DEVICE_TIMEOUT_MS: "2000" });
  resetProvisioningSettings();
  portal = await startProvisioningPortal(PORTAL.host, PORTAL.port);
  const created = await call(list.POST, "POST", "/devices", {
    token: f.admin,
    body: { name: "Lobby HD", address: `${PHONE_IP}:8080`, driver: "provisioning", model: "audiocodes-hd", mac: MAC },
  });
  expect(created.status).toBe(201);
  id = created.body.id;
});

afterAll(async () => {
  await fleet?.stop();
  await closeSharedSipClient();
  await portal.close();
});

describe("provisioning driver with check-sync", () => {
  it("a phone that never fetches ends failed with a clear, retryable reason", async () => {
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { "voip/line/0/auth_password": LINE_PW, [`${RED}use_redundant_proxy`]: 1, [`${RED}redundant_proxy_address`]: "192.0.2.10" } },
    });
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe("timeout");
    expect(r.body.error.message).toMatch(/did not fetch revision \d+ within 3 s; check-sync failed: no answer/);
    expect(r.body.error.message).toMatch(/next periodic fetch/);
  });

  it("fetches its file at boot: the portal's values land in the phone's own key tree", async () => {
    fleet = await startFleet({
      firstIp: PHONE_IP,
      httpPort: 8080,
      mix: parseMix("provisioning@audiocodes-hd:1", "mt505"),
      sipPassword: LINE_PW,
      provisioningUrl: `http://phones:shared-pw@${PORTAL.host}:${PORTAL.port}/provisioning`,
      controlPort: 0,
    });
    await expect.poll(async () => (await phoneConfig()).values[`${HD_RED}address`], { timeout: 15_000 }).toBe("192.0.2.10");
    const stored = await phoneConfig();
    expect(stored.values[`${HD_RED}enabled`]).toBe(1);
    expect(stored.values["provisioning/method"]).toBe("STATIC");
    // (The emulator's HTTP client does not bind to the phone's own address, so the recorded client is loopback.)
    expect((await listFetches(id))[0]).toMatchObject({ clientAddress: expect.stringMatching(/^127\./), userAgent: expect.stringContaining("AUDC-IPPhone") });
  });

  it("Retry after the phone fetched finds it holding the change: in sync", async () => {
    const r = await call(pushRoute.POST, "POST", `/devices/${id}/config/push`, { token: f.admin, params: { id } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state ?? r.body.config?.state, JSON.stringify(r.body)).toBe("in_sync");
  });

  it("a change reaches the phone's stored config through a digest-challenged check-sync", async () => {
    const before = (await listFetches(id)).length;
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${RED}redundant_proxy_port`]: 5070 } },
    });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe("in_sync");
    expect((await phoneConfig()).values[`${HD_RED}port`]).toBe(5070);
    expect((await listFetches(id)).length).toBe(before + 1);
    const fetches = (await (await request(`http://${fleet!.controlAddress}/devices/${PHONE_IP}/fetches`)).body.json()) as Array<{ status: number }>;
    expect(fetches.at(-1)?.status).toBe(200);
  });
});
