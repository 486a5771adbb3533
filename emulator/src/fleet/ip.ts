// IPv4 arithmetic for handing out one loopback address per phone.
export function ipToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function nthIp(first: string, index: number): string {
  return intToIp(ipToInt(first) + index);
}

/** "host:port" → parts; throws a message naming the flag when malformed. */
export function parseHostPort(value: string, what: string): { host: string; port: number } {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) throw new Error(`${what} must be host:port, got "${value}"`);
  return { host: match[1], port };
}
