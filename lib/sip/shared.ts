// The portal process's one SIP socket. SIP_BIND ("host[:port]", default 0.0.0.0 on any free port) picks where it
// listens; phones answer to the source address (Via with rport), so the port needs no firewall rule of its own
// beyond what UDP replies get.
// Every request on it is checked against DEVICE_NETWORKS after resolving (check-sync NOTIFYs, OPTIONS probes),
// like the device HTTP dispatcher's connections.
import { env } from "@/lib/env";
import { addressRefusal } from "@/lib/device/networks";
import { isIpLiteral } from "@/lib/net/networks";
import { createSipClient, splitTarget, type SipClient } from "./client";

function refuse(ip: string, target: string): string | null {
  const host = splitTarget(target).host;
  return addressRefusal(ip, isIpLiteral(host) ? ip : `${host} (${ip})`);
}

const KEY = Symbol.for("sip-admin-portal.sip-client");
type Holder = { [KEY]?: Promise<SipClient> };

function bindSetting(): { host: string; port: number } {
  const raw = env().SIP_BIND;
  if (!raw) return { host: "0.0.0.0", port: 0 };
  const hasPort = /^\[.*\]:\d+$/.test(raw) || /^[^:\[\]]+:\d+$/.test(raw);
  return hasPort ? splitTarget(raw) : { host: raw.replace(/^\[|\]$/g, ""), port: 0 };
}

export function sharedSipClient(): Promise<SipClient> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createSipClient({ ...bindSetting(), refuse }).catch((e) => {
    delete holder[KEY];
    throw new Error(`SIP_BIND: cannot open the portal's SIP socket: ${(e as Error).message}`);
  });
  return holder[KEY];
}

export async function closeSharedSipClient(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending.catch(() => null))?.close();
}
