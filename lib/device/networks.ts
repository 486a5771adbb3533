// DEVICE_NETWORKS: the networks the portal may talk to phones (and, over SIP, proxies) in. Without it a device address may be any host:port,
// so an admin (or a stolen admin session) could make the portal send requests anywhere its host reaches. Enforced
// twice: on input (an IP literal outside the list is a 422 naming the field) and on every connection the device
// dispatcher opens (host names are resolved there once and the resolved address is what gets connected to, so a
// name cannot point elsewhere between the check and the connect).
import "server-only";
import { lookup } from "node:dns";
import { env } from "@/lib/env";
import { paramByKey } from "@/lib/params";
import { formatNetworks, inNetworks, isIpLiteral, parseNetworks, type Network } from "@/lib/net/networks";

let cached: { raw: string | undefined; nets: Network[] } | undefined;

export function deviceNetworks(): Network[] {
  const raw = env().DEVICE_NETWORKS;
  if (!cached || cached.raw !== raw) cached = { raw, nets: parseNetworks(raw, "DEVICE_NETWORKS") };
  return cached.nets;
}

const outside = (what: string, nets: Network[]) => `${what} is outside the networks the portal may reach (DEVICE_NETWORKS: ${formatNetworks(nets).join(", ")})`;

/** "host[:port]", "[v6]:port" → the host. */
function hostOf(address: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (v6) return v6[1];
  const colon = address.lastIndexOf(":");
  return colon > 0 && address.indexOf(":") === colon ? address.slice(0, colon) : address;
}

/** Input check of a "host[:port]" address: a message when its host is an IP literal outside the networks. */
export function deviceAddressError(address: string): string | null {
  const nets = deviceNetworks();
  if (nets.length === 0) return null;
  const host = hostOf(address);
  if (!isIpLiteral(host)) return null; // a name is checked where it is resolved (connectAllowed)
  return inNetworks(host, nets) ? null : outside(`Address ${host}`, nets);
}

/**
 * Why the portal may not send to `ip` (an address already resolved; `what` names it in the message, e.g.
 * "name (ip)"), or null when it may. Used where the portal connects: HTTP (resolveAllowed) and SIP (lib/sip).
 */
export function addressRefusal(ip: string, what: string = ip): string | null {
  const nets = deviceNetworks();
  return inNetworks(ip, nets) ? null : outside(what, nets);
}

/** The address to connect to for `host`, or an error when it (or what the name resolves to) is outside the networks. */
export function resolveAllowed(host: string, callback: (err: Error | null, address?: string) => void): void {
  const nets = deviceNetworks();
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  const refuse = (message: string) => callback(Object.assign(new Error(message), { code: "EADDRNOTALLOWED" }));
  if (nets.length === 0 || isIpLiteral(bare)) {
    const refusal = addressRefusal(bare);
    return refusal ? refuse(refusal) : callback(null, bare);
  }
  lookup(bare, (err, address) => {
    if (err) return callback(err);
    const refusal = addressRefusal(address, `${bare} (${address})`);
    if (refusal) return refuse(refusal);
    callback(null, address);
  });
}

/** Field errors (address, sipAddress) of device input whose addresses are IP literals outside DEVICE_NETWORKS. */
export function deviceNetworkErrors(d: { address?: string | null; sipAddress?: string | null }): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of ["address", "sipAddress"] as const) {
    const value = d[key];
    const message = value ? deviceAddressError(value) : null;
    if (message) fields[key] = message;
  }
  return fields;
}

/**
 * Field errors of config values that point phones at an IP literal outside DEVICE_NETWORKS (proxy, registrar and
 * outbound proxy addresses: the catalog's ip_or_host parameters). Host names are resolved by the phone, not by the
 * portal, so they cannot be checked here; README says so.
 */
export function configNetworkErrors(values: Record<string, unknown>): Record<string, string> {
  const nets = deviceNetworks();
  const fields: Record<string, string> = {};
  if (nets.length === 0) return fields;
  for (const [key, value] of Object.entries(values)) {
    if (paramByKey(key)?.type !== "ip_or_host" || typeof value !== "string" || !isIpLiteral(value)) continue;
    if (!inNetworks(value, nets)) fields[key] = outside(`Address ${value}`, nets);
  }
  return fields;
}
