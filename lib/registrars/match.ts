// Which registrar binding belongs to which device, and what that says next to the phone's own report. Pure.
//
// A device is identified by its SIP user (config `voip/line/0/id`) and by the hosts it lives on (its HTTP
// address, its SIP address). Rules, strongest first:
//  1. a binding whose AOR user is the device's user and whose contact host is one of the device's hosts;
//  2. a binding of the device's user, when no other device of the inventory has that user (the phone may sit
//     behind NAT, so its contact host is not the address the portal knows);
//  3. a binding on one of the device's hosts, when no other device shares that host (the user was changed on
//     the phone, or the portal never read its config).
// Of several candidates the binding that lasts longest wins (the newest REGISTER).
import type { DeviceRegistrar, RegistrarContact } from "./model";

export interface DeviceIdentity {
  id: string;
  sipUser: string | null;
  hosts: string[];
}

export interface Snapshot {
  registrar: string;
  contacts: RegistrarContact[];
}

export interface Binding {
  registrar: string;
  contact: RegistrarContact;
}

const later = (a: Binding, b: Binding): Binding => ((a.contact.expiresAt ?? "9999") >= (b.contact.expiresAt ?? "9999") ? a : b);

/** deviceId → its binding, for every device some registrar knows. */
export function matchBindings(devices: DeviceIdentity[], snapshots: Snapshot[]): Map<string, Binding> {
  const byUser = new Map<string, Binding[]>();
  const byHost = new Map<string, Binding[]>();
  for (const s of snapshots) {
    for (const contact of s.contacts) {
      const b = { registrar: s.registrar, contact };
      (byUser.get(contact.user) ?? byUser.set(contact.user, []).get(contact.user)!).push(b);
      if (contact.host) (byHost.get(contact.host) ?? byHost.set(contact.host, []).get(contact.host)!).push(b);
    }
  }
  const usersOwned = new Map<string, number>();
  const hostsOwned = new Map<string, number>();
  for (const d of devices) {
    if (d.sipUser) usersOwned.set(d.sipUser, (usersOwned.get(d.sipUser) ?? 0) + 1);
    for (const h of new Set(d.hosts)) hostsOwned.set(h, (hostsOwned.get(h) ?? 0) + 1);
  }
  const out = new Map<string, Binding>();
  for (const d of devices) {
    const hosts = new Set(d.hosts.map((h) => h.toLowerCase()));
    const ofUser = d.sipUser ? (byUser.get(d.sipUser) ?? []) : [];
    let candidates = ofUser.filter((b) => hosts.has(b.contact.host));
    if (!candidates.length && d.sipUser && usersOwned.get(d.sipUser) === 1) candidates = ofUser;
    if (!candidates.length) candidates = [...hosts].filter((h) => hostsOwned.get(h) === 1).flatMap((h) => byHost.get(h) ?? []);
    if (candidates.length) out.set(d.id, candidates.reduce(later));
  }
  return out;
}

/** The part of the phone's own status that can be compared with a registrar. */
export interface PhoneReport {
  state: string | null;
  /** host:port the phone says it registered to. */
  registrar: string | null;
}

const socketHostPort = (socket: string | null): string | null => socket?.replace(/^[a-z]+:/i, "") ?? null;

/** host:port of the registrar socket a binding was registered through (null: unknown). */
export const bindingVia = (binding: Binding | undefined): string | null => (binding ? socketHostPort(binding.contact.socket) : null);

/** What the registrars say about a device (null when no registrar is configured). */
export function deviceRegistrarView(
  binding: Binding | undefined,
  polled: { ok: number; checkedAt: string | null },
  phone: PhoneReport | null,
): Omit<DeviceRegistrar, "mismatch"> & { mismatch: string | null } {
  const base = binding
    ? { name: binding.registrar, state: "registered" as const, contact: binding.contact.contact, expiresAt: binding.contact.expiresAt, via: socketHostPort(binding.contact.socket) }
    : { name: null, state: polled.ok > 0 ? ("unregistered" as const) : ("unknown" as const), contact: null, expiresAt: null, via: null };
  const view = { ...base, checkedAt: polled.checkedAt, mismatch: null as string | null };
  view.mismatch = describeMismatch(view, phone);
  return view;
}

/** In words, where the phone and the registrar disagree; null when they agree or one side knows nothing. */
export function describeMismatch(view: Pick<DeviceRegistrar, "name" | "state" | "contact" | "via">, phone: PhoneReport | null): string | null {
  if (view.state === "unknown" || !phone || phone.state === null) return null;
  const phoneRegistered = phone.state === "registered";
  if (view.state === "registered") {
    if (phone.state === "unreachable") return `The phone does not answer the portal, but registrar ${view.name} holds its binding ${view.contact}.`;
    if (!phoneRegistered) return `The phone reports "${phone.state}", but registrar ${view.name} holds its binding ${view.contact}.`;
    if (phone.registrar && view.via && phone.registrar !== view.via)
      return `The phone reports being registered to ${phone.registrar}, but its binding is at ${view.name} (${view.via}).`;
    return null;
  }
  if (phoneRegistered) return `The phone reports being registered${phone.registrar ? ` to ${phone.registrar}` : ""}, but no registrar holds a binding for it.`;
  return null;
}
