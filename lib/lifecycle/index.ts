// One start/stop shape for everything a portal process runs in the background — the database, device connection
// pools, the event relay, the status poller, the network probes and the job runner are each a Service, started in
// that order by startProcess() (the web process from instrumentation.ts, `npm run worker` from scripts/worker.ts)
// and stopped in reverse on SIGTERM/SIGINT: first no new requests (503) and the event streams end, then the job
// runner finishes the pushes in flight (a push cut off by the deadline stays `running` and is re-checked by the
// next start: the device is read and the change is not applied twice), then pools and the database close, exit 0.
import "server-only";
import { logger } from "@/lib/api/logger";
import { env } from "@/lib/env";
import { startDraining } from "./drain";

export { isDraining, onDrain } from "./drain";

export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

/** SIGTERM → exit within this (issue 10: 10 s); what is not stopped by then is left to the next start's checks. */
export const SHUTDOWN_DEADLINE_MS = 9_000;

const KEY = Symbol.for("sip-admin-portal.lifecycle");
type State = { services: Service[]; stopping: Promise<number> | null; signals: boolean };
const state = ((globalThis as unknown as Record<symbol, State>)[KEY] ??= { services: [], stopping: null, signals: false });

export function registerService(service: Service): void {
  state.services.push(service);
}

/** What this process runs, from the environment (SAP_PROCESS_KIND, POLLER, JOBS). */
export function processPlan(): { poller: boolean; jobs: boolean; network: boolean } {
  const e = env();
  return { poller: e.POLLER === "on", jobs: e.JOBS === "on", network: e.SAP_PROCESS_KIND === "web" };
}

/**
 * Starts this process's background work after migrations and registers each part for shutdown. Idempotent per
 * process (Next may call instrumentation more than once in development).
 */
export async function startProcess(): Promise<void> {
  if (state.services.length) return;
  const kind = env().SAP_PROCESS_KIND; // `npm run worker` sets it; lib/db/presence tags the pool with it
  const plan = processPlan();
  const { closeDb, databaseUrl } = await import("@/lib/db");
  const { applicationName } = await import("@/lib/db/presence");
  const { startServer } = await import("@/lib/auth/startup");
  await startServer();
  registerService({ name: "database", stop: closeDb });
  const { closeDeviceClients } = await import("@/lib/device");
  registerService({ name: "device pools", stop: closeDeviceClients });
  // Background config reads (new devices, poller-noticed changes): stopped after the poller, before pools close.
  const { configReader } = await import("@/lib/push/background");
  registerService({ name: "config reads", stop: () => configReader().stop() });
  const { eventBus, startEventRelay } = await import("@/lib/events");
  const relay = startEventRelay(eventBus(), await databaseUrl(), { applicationName: applicationName(), log: (m) => logger.warn(m) });
  registerService(relay);
  await relay.ready;
  if (plan.poller) {
    // Several processes on one database split the phones (lib/poller/shards).
    const { startPoller, stopPoller, optionsFromEnv } = await import("@/lib/poller");
    const { presenceShards } = await import("@/lib/poller/shards");
    const shards = presenceShards({ db: await (await import("@/lib/db")).getDb(), shards: env().POLL_SHARDS });
    await startPoller({ ...optionsFromEnv(), shards });
    registerService({ name: "status poller", stop: stopPoller });
    // The dashboard trend's stored samples: taken where the status is polled (one row per interval in any case).
    const { startTrendSampler, stopTrendSampler } = await import("@/lib/trend");
    startTrendSampler();
    registerService({ name: "trend sampler", stop: stopTrendSampler });
  }
  if (plan.network) {
    const { startNetworkServices, stopNetworkServices } = await import("@/lib/network-services");
    await startNetworkServices();
    registerService({ name: "network probes", stop: stopNetworkServices });
  }
  if (plan.jobs) {
    const { startJobRunner, stopJobRunner } = await import("@/lib/jobs");
    startJobRunner();
    registerService({ name: "job runner", stop: stopJobRunner });
  }
  logger.info({ kind, ...plan }, "portal process started");
}

/** Stops every service in reverse start order within the deadline; resolves to the exit code. */
export function shutdown(reason: string): Promise<number> {
  state.stopping ??= (async () => {
    const started = Date.now();
    logger.info({ reason }, "shutting down");
    startDraining();
    let code = 0;
    const deadline = new Promise<"late">((r) => setTimeout(() => r("late"), SHUTDOWN_DEADLINE_MS).unref());
    const took: Record<string, number> = {};
    for (const s of [...state.services].reverse()) {
      const t0 = Date.now();
      const left = SHUTDOWN_DEADLINE_MS - (t0 - started);
      const r = await Promise.race([s.stop().then(() => "ok" as const, (err: Error) => err), left > 0 ? deadline : ("late" as const)]);
      if (r === "late") {
        logger.warn({ service: s.name }, "shutdown deadline reached; leaving the rest to the next start");
        code = 1;
        break;
      }
      if (r !== "ok") logger.warn({ service: s.name, err: r.message }, "stopping a service failed");
      took[s.name] = Date.now() - t0;
    }
    state.services = [];
    logger.info({ ms: Date.now() - started, took }, "stopped");
    return code;
  })();
  return state.stopping;
}

/** SIGTERM / SIGINT → shutdown() → exit. Replaces Next's own handlers: the portal decides when it is done. */
export function installSignalHandlers(): void {
  if (state.signals) return;
  state.signals = true;
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(sig);
    process.on(sig, () => {
      if (state.stopping) return; // a second signal while stopping: the deadline ends it
      void shutdown(sig).then((code) => process.exit(code));
    });
  }
}
