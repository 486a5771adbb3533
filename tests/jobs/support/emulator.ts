// Test support for the jobs suites: the emulator's control surface and direct reads of a phone's device API
// (independent of the portal, so the tests check what the devices really hold).
import { request } from "undici";

export const USER = "admin";
export const PASS = "bulk-pass";
export const KEYS = {
  useRedundant: "voip/signalling/sip/redundant/use_redundant_proxy",
  redundantAddress: "voip/signalling/sip/redundant/redundant_proxy_address",
  redundantPort: "voip/signalling/sip/redundant/redundant_proxy_port",
  redundantKa: "voip/signalling/sip/redundant/redundant_proxy_ka_period",
  dialTimeout: "voip/dial_timeout",
} as const;

export async function controlPost(control: string, path: string, body: unknown): Promise<void> {
  const res = await request(`http://${control}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`control ${path} answered ${res.statusCode}: ${text}`);
}

export async function readPhone(address: string): Promise<{ revision: number; values: Record<string, unknown> }> {
  const res = await request(`http://${address}/api/v1/config`, { headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` } });
  if (res.statusCode !== 200) throw new Error(`phone ${address} answered ${res.statusCode}`);
  return (await res.body.json()) as { revision: number; values: Record<string, unknown> };
}

/** Inventory CSV for a range of phones (one import instead of hundreds of POSTs). */
export function inventoryCsv(addresses: string[], site: string): string {
  return ["name,address,username,password,site,tags", ...addresses.map((a, i) => `${site}-${String(i).padStart(4, "0")},${a},${USER},${PASS},${site},`)].join("\n");
}
