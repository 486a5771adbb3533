// Proxy health: the shapes (zod, for the routes and the OpenAPI document) and the pure decisions — which proxies
// the fleet depends on, and what one probe result means for a proxy's up/down state.
import { z } from "zod";
import type { SipResult } from "@/lib/sip/client";

export const PROXY_ROLES = ["primary", "redundant", "registrar", "outbound"] as const;
export type ProxyUse = (typeof PROXY_ROLES)[number];

export const proxyPhonesSchema = z.object({
  primary: z.number().int().meta({ description: "Phones with this address as their primary proxy" }),
  redundant: z.number().int().meta({ description: "…as their redundant proxy" }),
  registrar: z.number().int().meta({ description: "…as a separate registrar" }),
  outbound: z.number().int().meta({ description: "…as their outbound proxy" }),
  registeredNow: z.number().int().meta({ description: "Phones registered through this address now (their own report, or a registrar binding)" }),
});

export const proxySchema = z
  .object({
    address: z.string().meta({ description: "host:port probed with SIP OPTIONS over UDP" }),
    up: z.boolean().nullable().meta({ description: "null: not probed yet" }),
    rttMs: z.number().nullable().meta({ description: "Round trip of the last answered probe" }),
    checkedAt: z.iso.datetime().nullable(),
    since: z.iso.datetime().nullable().meta({ description: "When it entered its current up/down state" }),
    lastError: z.string().nullable().meta({ description: "Why the last probe failed" }),
    phones: proxyPhonesSchema,
  })
  .meta({ id: "Proxy" });
export type ProxyView = z.infer<typeof proxySchema>;
export const proxyListSchema = z.array(proxySchema);

export const proxyEventSchema = z.object({ at: z.iso.datetime(), up: z.boolean(), rttMs: z.number().nullable(), reason: z.string() }).meta({ id: "ProxyEvent" });
export const proxySampleSchema = z.object({ at: z.iso.datetime(), up: z.boolean(), rttMs: z.number().nullable() });
export const proxyDetailSchema = proxySchema
  .extend({
    history: z.array(proxyEventSchema).meta({ description: "Up/down transitions, newest first" }),
    samples: z.array(proxySampleSchema).meta({ description: "Recent probes, oldest first (in memory since the portal started)" }),
    dependents: z.array(z.object({ id: z.uuid(), name: z.string(), uses: z.array(z.enum(PROXY_ROLES)), registeredHere: z.boolean(), maintenance: z.boolean() })),
  })
  .meta({ id: "ProxyDetail" });
export type ProxyDetail = z.infer<typeof proxyDetailSchema>;

const SIP = "voip/signalling/sip";
const RED = `${SIP}/redundant`;

const on = (v: unknown) => v === 1 || v === "1";
function endpoint(host: unknown, port: unknown): string | null {
  if (typeof host !== "string") return null;
  const h = host.trim().toLowerCase();
  if (!h || h === "0.0.0.0") return null;
  const p = typeof port === "number" ? port : Number(port);
  return `${h}:${Number.isInteger(p) && p > 0 ? p : 5060}`;
}

/** The proxies one phone's configuration (device representation; absent = catalog default) points at. */
export function proxyUsesOf(values: Record<string, unknown>): { use: ProxyUse; address: string }[] {
  const out: { use: ProxyUse; address: string }[] = [];
  const add = (use: ProxyUse, address: string | null) => address && out.push({ use, address });
  if (on(values[`${SIP}/use_proxy`])) add("primary", endpoint(values[`${SIP}/proxy_address`], values[`${SIP}/proxy_port`]));
  if (on(values[`${SIP}/sip_registrar/enabled`])) add("registrar", endpoint(values[`${SIP}/sip_registrar/addr`], values[`${SIP}/sip_registrar/port`]));
  if (on(values[`${SIP}/sip_outbound_proxy/enabled`])) add("outbound", endpoint(values[`${SIP}/sip_outbound_proxy/addr`], values[`${SIP}/sip_outbound_proxy/port`]));
  if (on(values[`${RED}/use_redundant_proxy`])) add("redundant", endpoint(values[`${RED}/redundant_proxy_address`], values[`${RED}/redundant_proxy_port`]));
  return out;
}

/** One phone as proxy health sees it. */
export interface PhoneUses {
  id: string;
  uses: { use: ProxyUse; address: string }[];
  /** host:port the phone is registered through now (null: not registered / unknown). */
  registeredVia: string | null;
}

export type PhoneCounts = z.infer<typeof proxyPhonesSchema>;
const zero = (): PhoneCounts => ({ primary: 0, redundant: 0, registrar: 0, outbound: 0, registeredNow: 0 });

/** address → how many phones use it for what, and how many are registered through it now. */
export function countPhones(phones: PhoneUses[]): Map<string, PhoneCounts> {
  const out = new Map<string, PhoneCounts>();
  const at = (a: string) => out.get(a) ?? out.set(a, zero()).get(a)!;
  for (const p of phones) {
    for (const u of p.uses) at(u.address)[u.use] += 1;
    if (p.registeredVia) at(p.registeredVia).registeredNow += 1;
  }
  return out;
}

/** What the portal knows of one proxy between probes. */
export interface ProxyState {
  up: boolean | null;
  rttMs: number | null;
  checkedAt: Date | null;
  since: Date | null;
  lastError: string | null;
}

export type ProbeResult = { ok: true; rttMs: number; status: number } | { ok: false; reason: string };

export const unknownProxy = (): ProxyState => ({ up: null, rttMs: null, checkedAt: null, since: null, lastError: null });

/**
 * One probe's meaning. Any SIP response is "up" (a 404 or 483 still proves a SIP server answers on that address);
 * a transaction that ended without one (after its retransmissions) is "down". The first probe of a proxy is a
 * transition too (from unknown): a proxy found down at start is down.
 */
export function applyProbe(prev: ProxyState, result: ProbeResult, now: Date): { next: ProxyState; transition: { up: boolean; reason: string } | null } {
  const up = result.ok;
  const next: ProxyState = {
    up,
    rttMs: result.ok ? result.rttMs : null,
    checkedAt: now,
    since: prev.up === up ? prev.since : now,
    lastError: result.ok ? null : result.reason,
  };
  if (prev.up === up) return { next, transition: null };
  const reason = result.ok ? `answered OPTIONS (${result.status}) in ${Math.round(result.rttMs)} ms` : result.reason;
  return { next, transition: { up, reason } };
}

/** What one OPTIONS transaction's outcome means (shared by proxy probes and phone reachability checks). */
export function probeResultOf(r: SipResult): ProbeResult {
  if (r.outcome === "response") return { ok: true, rttMs: r.rttMs, status: r.status };
  if (r.outcome === "timeout") return { ok: false, reason: `no answer to SIP OPTIONS within ${Math.round(r.afterMs)} ms (${r.retransmissions} retransmissions)` };
  return { ok: false, reason: `OPTIONS could not be sent: ${r.message}` };
}

/**
 * SIP reachability of a phone that reports no status of its own (driver `provisioning`): the portal's OPTIONS to
 * its SIP address. Reachability only — whether it is registered comes from the registrars (`registrar`).
 */
export const sipReachabilitySchema = z
  .object({
    target: z.string().meta({ description: "host:port the portal sends SIP OPTIONS to (the device's sipAddress, else its registered contact, else its host on 5060)" }),
    reachable: z.boolean().nullable().meta({ description: "Whether the phone answered the last OPTIONS (any SIP response counts); null: not checked yet" }),
    rttMs: z.number().nullable(),
    checkedAt: z.iso.datetime().nullable(),
    since: z.iso.datetime().nullable().meta({ description: "When it entered its current reachable/unreachable state" }),
    lastError: z.string().nullable().meta({ description: "Why the last OPTIONS got no answer" }),
  })
  .meta({ id: "SipReachability" });
export type SipReachability = z.infer<typeof sipReachabilitySchema>;

/**
 * What a phone's reachability check changes in its stored status (device_status), which for these phones holds
 * only what OPTIONS proves: "unreachable" (a row) or nothing known (no row; registration is the registrars').
 * `write`: store unreachable · `clear`: remove the row · null: nothing to change.
 */
export function reachChange(stored: string | null, result: ProbeResult): "write" | "clear" | null {
  if (!result.ok) return stored === "unreachable" ? null : "write";
  return stored === null ? null : "clear";
}
