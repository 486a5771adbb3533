// Check-sync goes to where the phone is registered: a provisioning phone (audiocodes-hd, real emulator) registered
// with a REAL Kamailio, whose inventory address is stale (a DHCP lease moved it; nothing listens there) and which has
// no SIP address entered. Without a registrar the NOTIFY target is the stale address; once the Kamailio registrar is
// configured, its binding (ul.dump over JSON-RPC) names the phone's contact, and a change from the portal reaches
// the phone's stored config through a check-sync sent there. Loopback 127.63.22.x (helper s5-real).
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kamailio, kamailioAvailable } from "../../emulator/test/support/kamailio";
import { parseMix, startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as list from "@/app/api/v1/devices/route";
import * as configRoute from "@/app/api/v1/devices/[id]/config/route";
import * as registrarsRoute from "@/app/api/v1/registrars/route";
import { patchConfig } from "@/lib/config-store";
import { sipTargetOf } from "@/lib/device/drivers";
import { getDeviceCredentials } from "@/lib/inventory/devices";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { listFetches } from "@/lib/provisioning/store";
import { registrarMonitor, stopRegistrarMonitor } from "@/lib/registrars";
import { closeSharedSipClient } from "@/lib/sip";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { startProvisioningPortal } from "../support/provisioning-portal";

const available = kamailioAvailable();
if (!available) console.warn("SKIPPED: check-sync via the registered contact needs /usr/sbin/kamailio and kamcmd");

const f = useApiFixture();
const kamailio = new Kamailio({ host: "127.63.22.100", port: 5060, rpcPort: 5071 });
const PORTAL = { host: "127.63.22.110", port: 40632 };
const PHONE_IP = "127.63.22.1";
const STALE = "127.63.22.50"; // the inventory's address: nothing there
const MAC = "00908f3f1601"; // audiocodes-hd OUI + the phone's last three address bytes (63.22.1)
const SIP = "voip/signalling/sip/";

let portal: { close(): Promise<void> } | undefined;
let fleet: Emulator | undefined;
let id = "";

const phoneConfig = async () =>
  ((await (await request(`http://${fleet!.controlAddress}/devices/${PHONE_IP}/config`)).body.json()) as { values: Record<string, unknown> }).values;

describe.skipIf(!available)("check-sync to the registered contact (Kamailio)", () => {
  beforeAll(async () => {
    Object.assign(process.env, { PROVISIONING_USERNAME: "phones", PROVISIONING_PASSWORD: "contact-pw", PROVISIONING_FETCH_TIMEOUT_S: "10", SIP_BIND: "127.63.22.200", DEVICE_TIMEOUT_MS: "2000" });
    resetProvisioningSettings();
    await kamailio.start();
    portal = await startProvisioningPortal(PORTAL.host, PORTAL.port);
    const created = await call(list.POST, "POST", "/devices", {
      token: f.admin,
      body: { name: "Moved HD", address: `${STALE}:8080`, driver: "provisioning", model: "audiocodes-hd", mac: MAC },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    id = created.body.id;
    // What the phone's file will hold (stored only, nothing pushed): keep it registered with Kamailio as user 1001.
    await patchConfig(
      id,
      { [`${SIP}use_proxy`]: 1, [`${SIP}proxy_address`]: "127.63.22.100", [`${SIP}proxy_port`]: 5060, [`${SIP}sip_t1`]: 100, "voip/line/0/id": "1001", "voip/line/0/auth_name": "1001" },
      "test",
    );
    fleet = await startFleet({
      firstIp: PHONE_IP,
      httpPort: 8080,
      mix: parseMix("provisioning@audiocodes-hd:1", "mt505"),
      proxy: kamailio.address,
      t1: 100,
      provisioningUrl: `http://phones:contact-pw@${PORTAL.host}:${PORTAL.port}/provisioning`,
      controlPort: 0,
    });
    await eventually("the boot fetch", async () => (await phoneConfig())["provisioning/method"], (m) => m === "STATIC", 15_000);
    await eventually("the phone registered at Kamailio", async () => await kamailio.dump(), (d) => d.includes(`${PHONE_IP}:5060`), 20_000);
  }, 90_000);

  afterAll(async () => {
    await stopRegistrarMonitor();
    await fleet?.stop();
    await closeSharedSipClient();
    await portal?.close();
    await kamailio.dispose();
  });

  it("without a registrar the target is the inventory address; with one, the phone's registered contact", async () => {
    expect(sipTargetOf(await getDeviceCredentials(id))).toBe(`${STALE}:5060`);
    const created = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.admin, body: { name: "core", kind: "kamailio", url: kamailio.rpcUrl } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await eventually("the binding matched", async () => {
      await registrarMonitor().refresh();
      return registrarMonitor().allBindings().get(id)?.contact.host ?? null;
    }, (h) => h === PHONE_IP, 15_000);
    expect(sipTargetOf(await getDeviceCredentials(id))).toBe(`${PHONE_IP}:5060`);
  });

  it("a change reaches the phone through check-sync sent to that contact", async () => {
    const before = (await listFetches(id)).length;
    const r = await call(configRoute.PATCH, "PATCH", `/devices/${id}/config`, {
      token: f.admin,
      params: { id },
      body: { values: { [`${SIP}redundant/use_redundant_proxy`]: 1, [`${SIP}redundant/redundant_proxy_address`]: "192.0.2.91", [`${SIP}redundant/redundant_proxy_port`]: 5091 } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.state).toBe("in_sync");
    const phone = await phoneConfig();
    expect(phone[`${SIP}redundant_proxy/port`]).toBe(5091);
    expect(phone[`${SIP}redundant_proxy/address`]).toBe("192.0.2.91");
    expect((await listFetches(id)).length).toBeGreaterThan(before);
  });
});
