// One bulk job (the same redundant-proxy change) across three phones that the portal reaches three different ways —
// the JSON API (mt505 tree), the web interface (310HD tree) and provisioning with check-sync (310HD tree) — through the
// real REST routes, the real job runner and the real drivers. Each phone's truth is read from the emulator's control
// surface (GET /devices/<ip>/config, in the phone's own key tree), never from the portal. Loopback 127.63.2.x.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMix, startFleet, type Emulator } from "../../emulator/src/fleet/index";
import * as list from "@/app/api/v1/devices/route";
import * as syncRoute from "@/app/api/v1/devices/[id]/sync/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import * as jobRoute from "@/app/api/v1/jobs/[id]/route";
import { closeDeviceClients } from "@/lib/device";
import { startJobRunner, stopJobRunner, type JobRunner } from "@/lib/jobs";
import { configReader } from "@/lib/push";
import { resetProvisioningSettings } from "@/lib/provisioning/settings";
import { closeSharedSipClient } from "@/lib/sip";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";
import { eventually } from "../support/eventually";
import { startProvisioningPortal } from "../support/provisioning-portal";

const f = useApiFixture();
const PORTAL = { host: "127.63.2.100", port: 40621 };
const IP = { api: "127.63.2.1", web: "127.63.2.2", provisioning: "127.63.2.3" } as const;
// The emulator's MAC: the key profile's OUI (audiocodes-hd 00:90:8f) + the address's last three bytes (63.2.3).
const PROVISIONING_MAC = "00908f3f0203";
const SIP = "voip/signalling/sip/";
const CHANGE = { [`${SIP}redundant/use_redundant_proxy`]: 1, [`${SIP}redundant/redundant_proxy_address`]: "192.0.2.77", [`${SIP}redundant/redundant_proxy_port`]: 5072 };
// What each phone must hold afterwards, in its own tree.
const EXPECTED: Record<keyof typeof IP, Record<string, string | number>> = {
  api: { [`${SIP}redundant/use_redundant_proxy`]: 1, [`${SIP}redundant/redundant_proxy_address`]: "192.0.2.77", [`${SIP}redundant/redundant_proxy_port`]: 5072 },
  web: { [`${SIP}redundant_proxy/enabled`]: 1, [`${SIP}redundant_proxy/address`]: "192.0.2.77", [`${SIP}redundant_proxy/port`]: 5072 },
  provisioning: { [`${SIP}redundant_proxy/enabled`]: 1, [`${SIP}redundant_proxy/address`]: "192.0.2.77", [`${SIP}redundant_proxy/port`]: 5072 },
};

let portal: { close(): Promise<void> };
let fleet: Emulator;
let runner: JobRunner;
const ids: Record<keyof typeof IP, string> = { api: "", web: "", provisioning: "" };

const stored = async (ip: string) =>
  ((await (await request(`http://${fleet.controlAddress}/devices/${ip}/config`)).body.json()) as { values: Record<string, unknown> }).values;

beforeAll(async () => {
  Object.assign(process.env, { PROVISIONING_USERNAME: "phones", PROVISIONING_PASSWORD: "mixed-pw", PROVISIONING_FETCH_TIMEOUT_S: "15", SIP_BIND: "127.63.2.200", DEVICE_TIMEOUT_MS: "3000" });
  resetProvisioningSettings();
  portal = await startProvisioningPortal(PORTAL.host, PORTAL.port);
  const devices = {
    api: { name: "Mixed api", address: `${IP.api}:8080`, driver: "api" },
    web: { name: "Mixed web", address: `${IP.web}:8080`, driver: "web", model: "audiocodes-hd" },
    provisioning: { name: "Mixed provisioning", address: `${IP.provisioning}:8080`, driver: "provisioning", model: "audiocodes-hd", mac: PROVISIONING_MAC },
  };
  for (const [kind, body] of Object.entries(devices) as [keyof typeof IP, Record<string, string>][]) {
    const created = await call(list.POST, "POST", "/devices", { token: f.admin, body: { ...body, username: "admin", password: "admin" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[kind] = created.body.id;
  }
  await configReader().idle(); // the first-contact reads of phones that are not up yet fail; let them end
  fleet = await startFleet({
    firstIp: IP.api,
    httpPort: 8080,
    mix: parseMix("api:1,web@audiocodes-hd:1,provisioning@audiocodes-hd:1", "mt505"),
    provisioningUrl: `http://phones:mixed-pw@${PORTAL.host}:${PORTAL.port}/provisioning`,
    controlHost: "127.63.2.250",
    controlPort: 0,
  });
  for (const kind of ["api", "web"] as const) {
    const read = await call(syncRoute.POST, "POST", `/devices/${ids[kind]}/sync`, { token: f.admin, params: { id: ids[kind] } });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
  }
  // The provisioning phone fetched its file at boot (the portal's desired config for it).
  await eventually("the provisioning phone's boot fetch", async () => (await stored(IP.provisioning))["provisioning/method"], (m) => m === "STATIC", 15_000);
  runner = startJobRunner({ pollMs: 50, backoffMs: () => 50, maxAttempts: 2 });
}, 120_000);

afterAll(async () => {
  await stopJobRunner();
  await fleet?.stop();
  await closeSharedSipClient();
  await closeDeviceClients();
  await portal?.close();
});

describe("a bulk job across api, web and provisioning phones", () => {
  it("lands the same proxy change on all three, each proven the way its driver can", async () => {
    for (const kind of Object.keys(IP) as (keyof typeof IP)[]) {
      const phone = await stored(IP[kind]);
      for (const key of Object.keys(EXPECTED[kind])) expect(phone[key], `${kind} ${key} before`).not.toBe(EXPECTED[kind][key]);
    }
    const created = await call(jobsRoute.POST, "POST", "/jobs", { token: f.admin, body: { deviceIds: Object.values(ids), values: CHANGE, reason: "backup PBX for the mixed site" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const jobId = created.body.id;
    await runner.idle(jobId);
    const job = (await call(jobRoute.GET, "GET", `/jobs/${jobId}`, { token: f.viewer, params: { id: jobId } })).body;
    expect(job.counts, JSON.stringify(job.targets)).toMatchObject({ applied: 3, failed: 0, total: 3 });
    for (const t of job.targets) expect(t).toMatchObject({ state: "applied", after: CHANGE });
    for (const kind of Object.keys(IP) as (keyof typeof IP)[]) expect(await stored(IP[kind]), kind).toMatchObject(EXPECTED[kind]);
  });
});
