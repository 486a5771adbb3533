// Starts the network side's background work in this process (called from instrumentation.ts after migrations).
import "server-only";
import { networkEnv } from "@/lib/network-env";
import { startAlertEngine, startAlertSender } from "@/lib/alerts";
import { startProxyProber } from "@/lib/proxy-health";
import { startRegistrarMonitor } from "@/lib/registrars";

export async function startNetworkServices(): Promise<void> {
  const env = networkEnv();
  if (env.REGISTRARS === "on") startRegistrarMonitor();
  if (env.PROXY_PROBE === "on") startProxyProber();
  // Alerts follow this process's event bus (its poller and prober); the sender drains the shared queue table.
  if (env.ALERTS === "on") {
    await startAlertEngine();
    await startAlertSender();
  }
}
