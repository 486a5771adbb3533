// Test support for the network side: a primary Kamailio (with JSON-RPC) and a redundant one, and emulated
// phones registered to them with short SIP timers (T1 100 ms, keep-alive every 1 s), added to the inventory with
// their configuration read (so the portal knows which proxies each phone uses). Addresses from the i14-net range.
import { afterAll, beforeAll } from "vitest";
import { Kamailio, kamailioAvailable } from "../../emulator/test/support/kamailio";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { syncFromDevice } from "@/lib/push/sync";
import { eventually } from "../support/eventually";

export { kamailioAvailable };

export interface NetworkFixture {
  primary: Kamailio;
  redundant: Kamailio;
  fleet: Emulator;
  /** Device ids in phone order. */
  ids: string[];
  ips: string[];
}

/** `proxyNet` e.g. "127.70.2" (Kamailio on .1 and .2), phones on `${phoneNet}.1…`. */
export function useNetworkFixture(o: { proxyNet: string; phoneNet: string; phones: number; sites?: string[] }): NetworkFixture {
  const f = {
    primary: new Kamailio({ host: `${o.proxyNet}.1`, port: 5060, rpcPort: 5071 }),
    redundant: new Kamailio({ host: `${o.proxyNet}.2`, port: 5060 }),
    ids: [] as string[],
    ips: [] as string[],
  } as NetworkFixture;
  beforeAll(async () => {
    await Promise.all([f.primary.start(), f.redundant.start()]);
    f.fleet = await startFleet({
      devices: o.phones,
      firstIp: `${o.phoneNet}.1`,
      httpPort: 8080,
      username: "admin",
      password: "pw",
      proxy: f.primary.address,
      redundantProxy: f.redundant.address,
      t1: 100,
      kaPeriod: 1,
    });
    for (const [i, d] of f.fleet.devices.entries()) {
      const ip = d.identity.ip;
      f.ips.push(ip);
      const dev = await createDevice({ name: `phone-${i + 1}`, address: `${ip}:8080`, username: "admin", password: "pw", site: o.sites?.[i] ?? "" }, "test");
      f.ids.push(dev.id);
      await syncFromDevice(dev.id, "test");
    }
    await eventually("every phone registered at the primary", async () => (await f.primary.dump()).match(/Address:/g)?.length ?? 0, (n) => n === o.phones, 30_000);
  });
  afterAll(async () => {
    await f.fleet?.stop();
    await Promise.all([f.primary.dispose(), f.redundant.dispose()]);
    await closeDeviceClients();
  });
  return f;
}
