// Demo registrars for `--start-proxies` (when Kamailio is not used): one per role, stoppable from the control surface.
import { parseHostPort } from "../fleet/ip";
import type { Proxies, ProxyControl } from "./server";

export interface DemoProxies {
  controls: Proxies;
  describe(): string;
  stop(): Promise<void>;
}

export async function startDemoProxies(primary: string, redundant?: string): Promise<DemoProxies> {
  throw new Error(`demo registrars are not available yet (${primary}${redundant ? `, ${redundant}` : ""})`);
}

export type { ProxyControl };
void parseHostPort;
