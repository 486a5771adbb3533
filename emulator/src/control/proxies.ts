// Demo registrars for `--start-proxies` (when Kamailio is not used): one per role, stoppable from the control
// surface to stage an outage.
import { parseHostPort } from "../fleet/ip";
import { createDemoRegistrar, type DemoRegistrar } from "../sip/registrar";
import type { Proxies } from "./server";

export interface DemoProxies {
  controls: Proxies;
  describe(): string;
  stop(): Promise<void>;
}

/** `sipPassword` non-empty → the registrars challenge with digest auth and expect that password. */
export async function startDemoProxies(primary: string, redundant?: string, sipPassword?: string): Promise<DemoProxies> {
  const make = (address: string, flag: string): DemoRegistrar => {
    const { host, port } = parseHostPort(address, flag);
    return createDemoRegistrar({ host, port, password: sipPassword || undefined });
  };
  const controls: Record<"primary" | "redundant", DemoRegistrar | undefined> = {
    primary: make(primary, "--proxy"),
    redundant: redundant ? make(redundant, "--redundant-proxy") : undefined,
  };
  const running = Object.values(controls).filter((r): r is DemoRegistrar => r !== undefined);
  try {
    for (const registrar of running) await registrar.start();
  } catch (error) {
    await Promise.all(running.map((r) => r.stop()));
    throw new Error(`cannot start the demo registrars: ${(error as Error).message}`);
  }
  return {
    controls: { primary: controls.primary, redundant: controls.redundant },
    describe: () => running.map((r) => r.address).join(" + "),
    stop: async () => {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}
