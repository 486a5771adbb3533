// CIDR allow-lists (PROVISIONING_ALLOW, DEVICE_NETWORKS): parsed once with ipaddr.js, matched per address. Pure.
import ipaddr from "ipaddr.js";

export type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** "10.0.0.0/8, 192.0.2.7" → networks (a bare address is a /32 or /128); throws naming `variable` on a bad entry. */
export function parseNetworks(raw: string | undefined, variable: string): Network[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((cidr) => {
      try {
        if (cidr.includes("/")) return ipaddr.parseCIDR(cidr);
        const ip = ipaddr.parse(cidr);
        return [ip, ip.kind() === "ipv4" ? 32 : 128] as Network;
      } catch {
        throw new Error(`${variable}: "${cidr}" is not a CIDR network (e.g. 10.20.0.0/16)`);
      }
    });
}

export const formatNetworks = (nets: Network[]): string[] => nets.map(([a, bits]) => `${a.toString()}/${bits}`);

/** An IP literal (IPv4, IPv6, with or without brackets)? Host names are not. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[(.*)\]$/, "$1"));
}

/** Whether `address` (an IP literal; IPv4-mapped IPv6 counts as IPv4) is inside one of `nets`; an empty list allows all. */
export function inNetworks(address: string, nets: Network[]): boolean {
  if (nets.length === 0) return true;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address.replace(/^\[(.*)\]$/, "$1"));
  } catch {
    return false;
  }
  return nets.some(([net, bits]) => ip.kind() === net.kind() && ip.match([net, bits] as never));
}
