// Registrars as a status source: one operation per use case, called by the routes.
import "server-only";
import { notFound } from "@/lib/errors";
import { parseWith } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import type { DeviceStatusView } from "@/lib/poller/store";
import type { SipReachability } from "@/lib/proxy-health/model";
import { registrarInputSchema, type DeviceRegistrar, type RegistrarContact, type RegistrarView } from "./model";
import { registrarMonitor } from "./monitor";
import { deleteRegistrarRow, insertRegistrar, listRegistrarRows } from "./store";

export * from "./model";
export { registrarMonitor, startRegistrarMonitor, stopRegistrarMonitor, RegistrarMonitor } from "./monitor";
export { bindingVia, type Binding, type PhoneReport } from "./match";

export async function listRegistrars(): Promise<RegistrarView[]> {
  const monitor = registrarMonitor();
  if (!monitor.list().length) await monitor.refresh();
  return monitor.list();
}

/** Adds a registrar and reads it at once, so the reply already says whether it can be read. */
export async function createRegistrar(body: unknown, actor: string): Promise<RegistrarView> {
  const input = parseWith(registrarInputSchema, body);
  const row = await insertRegistrar(await getDb(), input, actor);
  const monitor = registrarMonitor();
  await monitor.refresh();
  return monitor.list().find((r) => r.id === row.id) ?? { id: row.id, name: row.name, kind: row.kind, url: row.url, createdAt: row.createdAt.toISOString(), checkedAt: null, contacts: null, matched: null, lastError: null };
}

export async function deleteRegistrar(id: string, actor: string): Promise<void> {
  await deleteRegistrarRow(await getDb(), id, actor);
  await registrarMonitor().refresh();
}

/** One registrar and the bindings of its last successful read. */
export async function getRegistrar(id: string): Promise<RegistrarView & { bindings: RegistrarContact[] | null }> {
  const monitor = registrarMonitor();
  let view = monitor.list().find((r) => r.id === id);
  if (!view) {
    await monitor.refresh();
    view = monitor.list().find((r) => r.id === id);
  }
  if (!view) {
    // Not in the monitor's list: unknown, or added by another process since the last round.
    const rows = await listRegistrarRows(await getDb());
    if (!rows.some((r) => r.id === id)) throw notFound("Registrar");
    await monitor.refresh();
    view = monitor.list().find((r) => r.id === id);
    if (!view) throw notFound("Registrar");
  }
  return { ...view, bindings: monitor.contactsOf(id) };
}

/** The device status reply: the phone's own report (its registrar as `registeredTo`) plus what the registrars say. */
export type DeviceStatusReply = Omit<DeviceStatusView, "registrar"> & {
  registeredTo: string | null;
  registrar: DeviceRegistrar | null;
  maintenance: boolean;
  /** SIP OPTIONS reachability, for phones that report no status themselves (null for the others). */
  reachability: SipReachability | null;
};

export function withRegistrar(deviceId: string, view: DeviceStatusView, maintenance: boolean, reachability: SipReachability | null = null): DeviceStatusReply {
  const { registrar: registeredTo, ...rest } = view;
  return { ...rest, registeredTo, registrar: registrarMonitor().viewFor(deviceId, { state: view.state, registrar: registeredTo }), maintenance, reachability };
}
