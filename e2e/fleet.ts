// The emulated fleet the Playwright run starts (playwright.config.ts). Each spec uses its own phones so the
// specs never disturb each other: push 0–2, live status 3–5, bulk edit 6–11.
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { E2E_FLEET } from "../playwright.config";

export interface FleetPhone {
  name: string;
  address: string;
  username: string;
  password: string;
  sipUser: string;
}

export function fleet(): FleetPhone[] {
  return JSON.parse(readFileSync(E2E_FLEET.manifest, "utf8")) as FleetPhone[];
}

export const PHONES = { push: [0, 1, 2], status: [3, 4, 5], bulk: [6, 7, 8, 9, 10, 11] } as const;

export const controlUrl = (path: string) => `http://127.0.0.1:${E2E_FLEET.controlPort}${path}`;

/** Reads a phone's config straight from the emulator's device API (independent of the portal). */
export async function deviceConfig(request: APIRequestContext, phone: FleetPhone): Promise<{ revision: number; values: Record<string, unknown> }> {
  const auth = Buffer.from(`${phone.username}:${phone.password}`).toString("base64");
  const res = await request.get(`http://${phone.address}/api/v1/config`, { headers: { authorization: `Basic ${auth}` } });
  if (!res.ok()) throw new Error(`device ${phone.address} answered ${res.status()}`);
  return res.json();
}

/** Emulator control surface: faults (offline, slow, http500, garbage, reject-auth, none), partitions, proxies. */
export async function control(request: APIRequestContext, path: string, body?: unknown): Promise<void> {
  const res = await request.post(controlUrl(path), { data: body ?? {} });
  if (!res.ok()) throw new Error(`emulator control ${path} answered ${res.status()}: ${await res.text()}`);
}

/**
 * A phone of the spec's own, added to the running fleet on `<net>.0.<octet>` (octets 100+; taken: device-config
 * 101–104, proxies 121, jobs 140–142, device-page 143–147, revisions 148, device-list 150–159 (151: saved views + firmware), a11y 160–169,
 * bulk-real-values 170–171, freshness 190; specs with an emulator process of their own: provisioning 175, web-phone 180–181), with
 * `values` set on it as a local change before the portal ever reads it. Remove it with `removeOwnPhone`.
 */
export async function addOwnPhone(request: APIRequestContext, octet: number, values: Record<string, unknown> = {}): Promise<FleetPhone> {
  const ip = E2E_FLEET.firstIp.replace(/\.\d+$/, `.${octet}`);
  await control(request, "/devices", { ip });
  if (Object.keys(values).length) await control(request, `/devices/${ip}/config`, { values });
  return { ...fleet()[0], name: `phone-${octet}`, address: `${ip}:8080` };
}

export async function removeOwnPhone(request: APIRequestContext, phone: FleetPhone): Promise<void> {
  await request.delete(controlUrl(`/devices/${phone.address.split(":")[0]}`));
}
