// The provisioning driver: the phone pulls `<mac>.cfg` from the portal (lib/provisioning), so the portal cannot read
// it. It speaks the DeviceClient interface lib/push uses, with what it can prove:
//   readConfig (getConfig) → what the phone last FETCHED: the desired values when its last fetch served the current
//     desired revision, otherwise nothing known ({} values, so every change is delivered);
//   apply (patchConfig) → the desired config is already stored by the save path; send SIP NOTIFY check-sync and wait
//     until the phone fetched that revision ("delivered", not "verified by read-back"). Not fetched within
//     PROVISIONING_FETCH_TIMEOUT_S (60) → a retryable `timeout` naming the NOTIFY's outcome; a NOTIFY that could
//     not be sent at all (e.g. outside DEVICE_NETWORKS) → a retryable `unreachable` at once;
//   readStatus → none (the poller skips these phones).
import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { getDesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { provisioningFetches } from "@/lib/db/schema";
import { onFetch } from "@/lib/provisioning/server";
import { env } from "@/lib/env";
import { profileFor } from "@/lib/params/profiles";
import { registrarMonitor } from "@/lib/registrars/monitor";
import { describeSipResult, sendCheckSync, sharedSipClient } from "@/lib/sip";
import type { DeviceClient, DeviceConfig } from "../client";
import { DeviceError } from "../errors";
import { CAPABILITIES } from "../kinds";
import type { DeviceDriver, DriverDevice } from "./types";

const LINE = "voip/line/0/";

export function fetchTimeoutMs(): number {
  return env().PROVISIONING_FETCH_TIMEOUT_S * 1000;
}

/**
 * host[:port] of the phone's SIP user agent: as entered; else where a registrar says it is registered (its binding's
 * received address or contact, lib/registrars — a phone's DHCP address may have moved from the inventory's); else its
 * address's host on 5060.
 */
export function sipTargetOf(device: DriverDevice): string {
  if (device.sipAddress) return device.sipAddress;
  const bound = registrarMonitor().allBindings().get(device.id)?.contact;
  if (bound?.host) return bound.host.includes(":") ? `[${bound.host}]:${bound.port ?? 5060}` : `${bound.host}:${bound.port ?? 5060}`;
  const host = device.address.slice(0, device.address.lastIndexOf(":"));
  return `${host}:5060`;
}

/** The revision of the phone's newest fetch (at or after `since` when given), or null. */
async function lastFetchRevision(deviceId: string, since?: Date): Promise<number | null> {
  const db = await getDb();
  const mine = eq(provisioningFetches.deviceId, deviceId);
  const [row] = await db
    .select({ revision: provisioningFetches.revision })
    .from(provisioningFetches)
    .where(since ? and(mine, gte(provisioningFetches.at, since)) : mine)
    .orderBy(desc(provisioningFetches.at), desc(provisioningFetches.id))
    .limit(1);
  return row?.revision ?? null;
}

/**
 * Resolves with the fetched revision once the phone fetched `revision` or later (a fetch at or after `since` when
 * given: an older one does not count), or with null after `ms` or when `signal` aborts.
 */
export function waitForFetch(deviceId: string, revision: number, ms: number, since?: Date, signal?: AbortSignal): Promise<number | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: number | null) => {
      if (done) return;
      done = true;
      off();
      clearInterval(poll);
      clearTimeout(timer);
      resolve(value);
    };
    const off = onFetch(deviceId, (fetched) => fetched >= revision && finish(fetched));
    // Another portal process may have served the fetch: the table is the truth, the event only a shortcut.
    const poll = setInterval(() => {
      void lastFetchRevision(deviceId, since).then((r) => r !== null && r >= revision && finish(r), () => undefined);
    }, 1_000);
    const timer = setTimeout(() => finish(null), ms);
    signal?.addEventListener("abort", () => finish(null), { once: true });
  });
}

export function provisioningDriver(device: DriverDevice): DeviceDriver {
  const notAvailable = (what: string) =>
    new DeviceError("device_error", device.address, `${device.name} is a provisioning phone: the portal cannot ${what} (it pulls its file from the portal)`);

  async function delivered(): Promise<DeviceConfig> {
    const [desired, fetched] = await Promise.all([getDesiredConfig(device.id), lastFetchRevision(device.id)]);
    const current = fetched !== null && fetched === desired.revision;
    const revision = fetched ?? 0;
    return { revision, values: current ? desired.values : {}, etag: `"${revision}"` };
  }

  const client: DeviceClient = {
    address: device.address,
    info: async () => {
      throw notAvailable("ask for its model and firmware");
    },
    getConfig: delivered,
    async patchConfig() {
      const desired = await getDesiredConfig(device.id);
      const target = sipTargetOf(device);
      const user = String(desired.values[`${LINE}auth_name`] || desired.values[`${LINE}id`] || "");
      const password = String(desired.values[`${LINE}auth_password`] ?? "");
      const ms = fetchTimeoutMs();
      const stop = new AbortController();
      const waiting = waitForFetch(device.id, desired.revision, ms, undefined, stop.signal);
      const sip = await sharedSipClient();
      // The NOTIFY's own transaction may not outlast the wait for the fetch (Timer F is 32 s by default).
      const notify = await sendCheckSync(sip, { target, user: user || undefined, auth: user && password ? { username: user, password } : undefined, timers: { timeoutMs: Math.min(ms, 32_000) } });
      if (notify.outcome === "error") {
        // Nothing was sent (outside DEVICE_NETWORKS, a name that does not resolve, the socket closed): waiting for a
        // fetch the phone was never asked for would only delay the failure. Unless it fetched meanwhile anyway.
        stop.abort();
        await waiting;
        const fetchedMeanwhile = await lastFetchRevision(device.id);
        if (fetchedMeanwhile !== null && fetchedMeanwhile >= desired.revision) return { revision: fetchedMeanwhile, values: desired.values };
        throw new DeviceError(
          "unreachable",
          device.address,
          `${device.name} was not asked to fetch revision ${desired.revision}: check-sync was not sent (${notify.message}). It takes the change at its next periodic fetch — Retry sends check-sync again`,
        );
      }
      const fetched = await waiting;
      if (fetched === null) {
        const why = notify.outcome === "response" && notify.status < 300 ? `check-sync was accepted (${describeSipResult(notify, target)})` : `check-sync failed: ${describeSipResult(notify, target)}`;
        throw new DeviceError(
          "timeout",
          device.address,
          `${device.name} did not fetch revision ${desired.revision} within ${ms / 1000} s; ${why}. It takes the change at its next periodic fetch — Retry sends check-sync again`,
        );
      }
      return { revision: fetched, values: desired.values };
    },
    getConfigCfg: async () => {
      throw notAvailable("download its config file");
    },
    putConfigCfg: async () => {
      throw notAvailable("upload a config file to it");
    },
    getStatus: async () => {
      throw notAvailable("read its registration status");
    },
  };
  return { ...client, kind: "provisioning", capabilities: CAPABILITIES.provisioning, supports: profileFor(device.model).supports };
}
