// Provisioning settings, read once: shared credentials (PROVISIONING_USERNAME / PROVISIONING_PASSWORD, generated into
// DATA_DIR/provisioning-credentials.json when unset, so admins can read them on the settings page), the allowed
// networks (PROVISIONING_ALLOW, comma-separated CIDRs; empty = any), the rate limit per client address
// (PROVISIONING_RATE_PER_MIN, default 120) and the trust in X-Forwarded-For (TRUST_PROXY=1, as for sign-in).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ipaddr from "ipaddr.js";
import { dataDir } from "@/lib/db";
import { env } from "@/lib/env";
import type { Credentials } from "./auth";

export interface ProvisioningSettings {
  shared: Credentials;
  /** Where the shared credentials came from. */
  generated: boolean;
  allow: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  allowText: string[];
  ratePerMin: number;
  trustProxy: boolean;
}

let cached: ProvisioningSettings | undefined;

export function parseAllowList(raw: string | undefined): Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((cidr) => {
      try {
        return cidr.includes("/") ? ipaddr.parseCIDR(cidr) : ([ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === "ipv4" ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
      } catch {
        throw new Error(`PROVISIONING_ALLOW: "${cidr}" is not a CIDR network (e.g. 10.20.0.0/16)`);
      }
    });
}

function sharedCredentials(): { shared: Credentials; generated: boolean } {
  const { PROVISIONING_USERNAME: username, PROVISIONING_PASSWORD: password } = env();
  if (username && password) return { shared: { username, password }, generated: false };
  const file = path.join(dataDir(), "provisioning-credentials.json");
  if (existsSync(file)) return { shared: JSON.parse(readFileSync(file, "utf8")) as Credentials, generated: true };
  // URL-safe (phones take credentials inside the URL): hex only.
  const shared = { username: username || "phones", password: randomBytes(12).toString("hex") };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(shared), { mode: 0o600 });
  return { shared, generated: true };
}

export function provisioningSettings(): ProvisioningSettings {
  if (!cached) {
    const e = env();
    const allow = parseAllowList(e.PROVISIONING_ALLOW);
    cached = { ...sharedCredentials(), allow, allowText: allow.map(([a, bits]) => `${a.toString()}/${bits}`), ratePerMin: e.PROVISIONING_RATE_PER_MIN, trustProxy: e.TRUST_PROXY };
  }
  return cached;
}

/** Tests change the environment between cases. */
export function resetProvisioningSettings(): void {
  cached = undefined;
}

export function isAllowed(address: string, allow: ProvisioningSettings["allow"]): boolean {
  if (allow.length === 0) return true;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return false;
  }
  return allow.some(([net, bits]) => ip.kind() === net.kind() && ip.match([net, bits] as never));
}
