// Starts the network side's background work in this process (called from instrumentation.ts after migrations).
import "server-only";
import { env } from "@/lib/env";
import { startAlertEngine, startAlertSender, stopAlertEngine, stopAlertSender } from "@/lib/alerts";
import { startProxyProber, stopProxyProber } from "@/lib/proxy-health";
import { startRegistrarMonitor, stopRegistrarMonitor } from "@/lib/registrars";

export async function startNetworkServices(): Promise<void> {
  const e = env();
  if (e.REGISTRARS === "on") startRegistrarMonitor();
  if (e.PROXY_PROBE === "on") startProxyProber();
  // Alerts follow this process's event bus (its poller and prober); the sender drains the shared queue table.
  if (e.ALERTS === "on") {
    await startAlertEngine();
    await startAlertSender();
  }
}

/** Stops what startNetworkServices started (shutdown). */
export async function stopNetworkServices(): Promise<void> {
  await Promise.all([stopRegistrarMonitor(), stopProxyProber(), stopAlertEngine(), stopAlertSender()]);
}
