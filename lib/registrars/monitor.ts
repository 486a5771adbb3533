// Reads every registrar's bindings on an interval and keeps, in memory, the newest read per registrar and the
// binding matched to each device. Nothing here is written to the database: a binding is a live fact that is only
// true while it is fresh, so a restarted portal starts from "unknown" and reads again.
import "server-only";
import { logger } from "@/lib/api/logger";
import { getDb, type Db } from "@/lib/db";
import { env } from "@/lib/env";
import { deviceRegistrarView, matchBindings, type Binding, type PhoneReport } from "./match";
import type { DeviceRegistrar, RegistrarContact, RegistrarView } from "./model";
import { SOURCES, type ReadContacts } from "./source";
import { listRegistrarRows, loadIdentities, type RegistrarRow } from "./store";
import { Rounds } from "@/lib/lifecycle/rounds";

interface Read {
  checkedAt: Date | null;
  contacts: RegistrarContact[] | null;
  lastError: string | null;
}

export interface RegistrarMonitorOptions {
  intervalS?: number;
  timeoutMs?: number;
  db?: () => Promise<Db>;
  sources?: Partial<Record<string, ReadContacts>>;
}

export class RegistrarMonitor {
  readonly intervalS: number;
  private readonly timeoutMs: number;
  private rows: RegistrarRow[] = [];
  private readonly reads = new Map<string, Read>();
  private bindings = new Map<string, Binding>();
  private matchedPer = new Map<string, number>();
  private lastRoundAt: Date | null = null;
  private readonly loop = new Rounds(() => this.intervalS * 1000, () => this.doRound());

  constructor(private readonly options: RegistrarMonitorOptions = {}) {
    this.intervalS = options.intervalS ?? env().REGISTRAR_POLL_INTERVAL_S;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: read every registrar (in parallel), then match bindings to devices. Also called after a change. */
  refresh(): Promise<void> {
    return this.loop.now();
  }

  private async doRound(): Promise<void> {
    try {
      const db = await (this.options.db ?? getDb)();
      this.rows = await listRegistrarRows(db);
      const ids = new Set(this.rows.map((r) => r.id));
      for (const id of this.reads.keys()) if (!ids.has(id)) this.reads.delete(id);
      await Promise.all(this.rows.map((r) => this.readOne(r)));
      const identities = await loadIdentities(db);
      const snapshots = this.rows.flatMap((r) => {
        const contacts = this.reads.get(r.id)?.contacts;
        return contacts ? [{ registrar: r.name, contacts }] : [];
      });
      this.bindings = matchBindings(identities, snapshots);
      this.matchedPer = new Map();
      for (const b of this.bindings.values()) this.matchedPer.set(b.registrar, (this.matchedPer.get(b.registrar) ?? 0) + 1);
      this.lastRoundAt = new Date();
    } catch (err) {
      logger.error({ err }, "registrar monitor: round failed");
    }
  }

  private async readOne(row: RegistrarRow): Promise<void> {
    const read = this.reads.get(row.id) ?? { checkedAt: null, contacts: null, lastError: null };
    const source = this.options.sources?.[row.kind] ?? SOURCES[row.kind];
    try {
      if (!source) throw new Error(`kind ${row.kind} is not supported`);
      read.contacts = await source({ kind: row.kind, url: row.url }, { timeoutMs: this.timeoutMs, now: () => new Date() });
      read.checkedAt = new Date();
      read.lastError = null;
    } catch (err) {
      // A registrar that cannot be read knows nothing now: its old bindings are not presented as current.
      read.contacts = null;
      read.lastError = `${row.name}: ${(err as Error).message}`;
    }
    this.reads.set(row.id, read);
  }

  /** Every registrar with its last read. */
  list(): RegistrarView[] {
    return this.rows.map((r) => {
      const read = this.reads.get(r.id);
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        url: r.url,
        createdAt: r.createdAt.toISOString(),
        checkedAt: read?.checkedAt?.toISOString() ?? null,
        contacts: read?.contacts?.length ?? null,
        matched: read?.contacts ? (this.matchedPer.get(r.name) ?? 0) : null,
        lastError: read?.lastError ?? null,
      };
    });
  }

  /** The bindings of one registrar's last successful read (null: unknown id or not read). */
  contactsOf(id: string): RegistrarContact[] | null {
    return this.reads.get(id)?.contacts ?? null;
  }

  /** What the registrars say about a device; null when no registrar is configured. */
  viewFor(deviceId: string, phone: PhoneReport | null): DeviceRegistrar | null {
    if (!this.rows.length) return null;
    const ok = [...this.reads.values()].filter((r) => r.contacts !== null).length;
    return deviceRegistrarView(this.bindings.get(deviceId), { ok, checkedAt: this.lastRoundAt?.toISOString() ?? null }, phone);
  }

  /** deviceId → binding, for every matched device (proxy health counts, metrics). */
  allBindings(): ReadonlyMap<string, Binding> {
    return this.bindings;
  }
}

// One monitor per process, on globalThis (Next may load this module more than once).
const KEY = Symbol.for("sip-admin-portal.registrar-monitor");
type Holder = { [KEY]?: RegistrarMonitor };
const holder = globalThis as unknown as Holder;

export function registrarMonitor(): RegistrarMonitor {
  return (holder[KEY] ??= new RegistrarMonitor());
}

export function startRegistrarMonitor(options?: RegistrarMonitorOptions): RegistrarMonitor {
  const m = (holder[KEY] ??= new RegistrarMonitor(options));
  m.start();
  return m;
}

export async function stopRegistrarMonitor(): Promise<void> {
  const m = holder[KEY];
  delete holder[KEY];
  await m?.stop();
}
