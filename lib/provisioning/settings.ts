// Provisioning settings, read once: shared credentials (PROVISIONING_USERNAME / PROVISIONING_PASSWORD, generated into
// DATA_DIR/provisioning-credentials.json when unset, so admins can read them on the settings page), the allowed
// networks (PROVISIONING_ALLOW, comma-separated CIDRs; empty = any), the rate limit per client address
// (PROVISIONING_RATE_PER_MIN, default 120). The client address is lib/net/client-address's, as for sign-in.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db";
import { env } from "@/lib/env";
import { formatNetworks, inNetworks, parseNetworks, type Network } from "@/lib/net/networks";
import type { Credentials } from "./auth";

export interface ProvisioningSettings {
  shared: Credentials;
  /** Where the shared credentials came from. */
  generated: boolean;
  allow: Network[];
  allowText: string[];
  ratePerMin: number;
}

let cached: ProvisioningSettings | undefined;

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
    const allow = parseNetworks(e.PROVISIONING_ALLOW, "PROVISIONING_ALLOW");
    cached = { ...sharedCredentials(), allow, allowText: formatNetworks(allow), ratePerMin: e.PROVISIONING_RATE_PER_MIN };
  }
  return cached;
}

/** Tests change the environment between cases. */
export function resetProvisioningSettings(): void {
  cached = undefined;
}

export function isAllowed(address: string, allow: ProvisioningSettings["allow"]): boolean {
  return inNetworks(address, allow);
}
