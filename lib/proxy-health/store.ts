// Proxy health's database side: which phones use which proxies (one query per round), and the up/down timeline.
import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db";
import { deviceConfigs, deviceStatus, devices, proxyEvents, type RegistrationState } from "@/lib/db/schema";
import { sipTargetOf } from "@/lib/device/drivers/provisioning";
import { writeDecision } from "@/lib/poller/store";
import { proxyUsesOf, type ProxyUse } from "./model";

const KEYS = [
  "use_proxy",
  "proxy_address",
  "proxy_port",
  "sip_registrar/enabled",
  "sip_registrar/addr",
  "sip_registrar/port",
  "sip_outbound_proxy/enabled",
  "sip_outbound_proxy/addr",
  "sip_outbound_proxy/port",
  "redundant/use_redundant_proxy",
  "redundant/redundant_proxy_address",
  "redundant/redundant_proxy_port",
].map((k) => `voip/signalling/sip/${k}`);

// Only the proxy keys of each desired config, not the whole config (10,000 phones every round).
const proxyValues = sql<Record<string, unknown> | null>`jsonb_build_object(${sql.join(
  KEYS.map((k) => sql`${k}::text, ${deviceConfigs.values} -> ${k}::text`),
  sql`, `,
)})`;

export interface FleetPhone {
  id: string;
  name: string;
  site: string;
  tags: string[];
  maintenance: boolean;
  uses: { use: ProxyUse; address: string }[];
  state: string | null;
  /** host:port the phone reports being registered to. */
  registeredTo: string | null;
}

type KeepAliveJson = { primary?: { address?: string | null }; redundant?: { address?: string | null } } | null;

export async function loadFleet(db: Db): Promise<FleetPhone[]> {
  const rows = await db
    .select({
      id: devices.id,
      name: devices.name,
      site: devices.site,
      tags: devices.tags,
      maintenance: devices.maintenance,
      values: proxyValues,
      hasConfig: sql<boolean>`${deviceConfigs.deviceId} is not null`,
      state: deviceStatus.state,
      registrar: deviceStatus.registrar,
      keepAlive: deviceStatus.keepAlive,
    })
    .from(devices)
    .leftJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id))
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id));
  return rows.map((r) => {
    let uses = r.hasConfig && r.values ? proxyUsesOf(r.values) : [];
    // A phone whose configuration the portal never read still reports which proxies it keeps alive.
    if (!uses.length) {
      const ka = r.keepAlive as KeepAliveJson;
      uses = (["primary", "redundant"] as const).flatMap((use) => {
        const a = ka?.[use]?.address;
        return a ? [{ use, address: a.toLowerCase() }] : [];
      });
    }
    return { id: r.id, name: r.name, site: r.site, tags: r.tags, maintenance: r.maintenance, uses, state: r.state, registeredTo: r.state === "registered" ? r.registrar : null };
  });
}

export async function recordTransition(db: Db, e: { address: string; at: Date; up: boolean; rttMs: number | null; reason: string }): Promise<void> {
  await db.insert(proxyEvents).values({ ...e, rttMs: e.rttMs === null ? null : Math.round(e.rttMs) });
}

export async function proxyHistory(db: Db, address: string, limit = 100) {
  const rows = await db.select().from(proxyEvents).where(eq(proxyEvents.address, address)).orderBy(desc(proxyEvents.at), desc(proxyEvents.id)).limit(limit);
  return rows.map((r) => ({ at: r.at.toISOString(), up: r.up, rttMs: r.rttMs, reason: r.reason }));
}

/** The newest recorded state per address (a restarted portal continues from it instead of "unknown"). */
export async function lastStates(db: Db): Promise<Map<string, { up: boolean; at: Date }>> {
  const rows = await db.execute(sql`select distinct on (address) address, up, at from ${proxyEvents} order by address, at desc, id desc`);
  const list = (rows as unknown as { rows: { address: string; up: boolean; at: string | Date }[] }).rows;
  return new Map(list.map((r) => [r.address, { up: r.up, at: new Date(r.at) }]));
}

/** A phone that reports no status of its own (driver `provisioning`): checked by OPTIONS to its SIP address. */
export interface SipOnlyPhone {
  id: string;
  name: string;
  target: string;
  /** What device_status holds for it now (only the reachability check writes these rows). */
  stored: RegistrationState | null;
}

export async function loadSipOnlyPhones(db: Db): Promise<SipOnlyPhone[]> {
  const rows = await db
    .select({ id: devices.id, name: devices.name, address: devices.address, sipAddress: devices.sipAddress, stored: deviceStatus.state })
    .from(devices)
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id))
    .where(eq(devices.driver, "provisioning"));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    // The same address check-sync NOTIFYs go to.
    target: sipTargetOf({ ...r, username: "", password: null, driver: "provisioning" }),
    stored: r.stored,
  }));
}

/** Stores "unreachable" with its timeline event (the poller's one write path). False: the device was deleted. */
export function storeUnreachable(db: Db, phone: SipOnlyPhone, reason: string, now: Date): Promise<boolean> {
  return writeDecision(
    db,
    phone.id,
    {
      row: { state: "unreachable", proxy: null, registrar: null, since: now, lastError: reason, keepAlive: null, expiresAt: null },
      events: [{ at: now, fromState: phone.stored, fromProxy: null, toState: "unreachable", toProxy: null, reason }],
    },
    now,
  );
}

/** The phone answers again: nothing but reachability was known, so its status row goes (registration: the registrars). */
export async function clearStoredStatus(db: Db, id: string): Promise<void> {
  await db.delete(deviceStatus).where(eq(deviceStatus.deviceId, id));
}
