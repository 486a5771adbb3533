// --provisioning-period: a phone fetches again every S seconds; with --mix only the provisioning role fetches.
// The server here asks for Digest (MD5, qop=auth), which the phone answers with the URL's credentials.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startFleet, parseMix, type Emulator } from "../../src/fleet/index";
import { eventually } from "../http/support";
import { startProvisioningServer, type ProvisioningServer } from "../support/provisioning-server";

let fleet: Emulator;
let server: ProvisioningServer;
beforeAll(async () => {
  server = await startProvisioningServer("127.62.4.251", 8081, "u", "p", "digest");
  fleet = await startFleet({
    firstIp: "127.62.4.1",
    sip: false,
    mix: parseMix("api:1,provisioning:1", "mt505"),
    provisioningUrl: "http://u:p@127.62.4.251:8081/",
    provisioningPeriodS: 1,
  });
});
afterAll(async () => {
  await fleet?.stop();
  await server?.close();
});

it("fetches at boot and then every period; the api-role phone never fetches", async () => {
  const [api, prov] = fleet.devices;
  server.files.set(`/${prov.identity.mac.replace(/:/g, "")}.cfg`, "voip/dial_timeout=8\n");
  const records = await eventually(async () => prov.fetches(), (f) => f.filter((r) => r.status === 200).length >= 2);
  expect(records.at(-1)).toMatchObject({ status: 200, error: null });
  expect(prov.rawValues()["voip/dial_timeout"]).toBe(8);
  expect(api.fetches()).toEqual([]);
  expect(fleet.manifest().map((m) => m.provisioning)).toEqual([false, true]);
  const served = server.requests.filter((r) => r.status === 200);
  expect(served[0].authorization).toMatch(/^Digest username="u", realm="provisioning"/);
});
