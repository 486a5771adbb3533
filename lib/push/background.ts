// The portal's own config reads, so what it shows is what the phones hold without anyone opening a page:
// - a device added (form, API, CSV import, demo seed) is read at once (`readSoon`);
// - the poller calls `observeStatus` with each status reply: a changed `configRevision` (a local change on the
//   phone) triggers a read, which marks drift; a device never read is read; a device whose status carries no
//   revision is re-read every CONFIG_SYNC_INTERVAL_S. Each successful read also reads the phone's firmware version.
// Reads run with bounded concurrency (p-limit, CONFIG_READ_CONCURRENCY) and at most one per device at a time.
import "server-only";
import pLimit, { type LimitFunction } from "p-limit";
import { logger } from "@/lib/api/logger";
import { loadDesiredConfig } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { readFirmware } from "./firmware";
import { backgroundSync } from "./sync";

interface Known {
  /** The device's config revision as last read; null = never read. */
  deviceRevision: number | null;
  /** When the portal last read (or tried to read) the config. */
  readAt: number;
}

class ConfigReader {
  private limit: LimitFunction | null = null;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly known = new Map<string, Known>();

  private queue(): LimitFunction {
    return (this.limit ??= pLimit(env().CONFIG_READ_CONCURRENCY));
  }

  private stopped = false;

  /** Reads the devices' configs in the background (deduplicated per device); resolves when these reads ended. */
  readSoon(deviceIds: Iterable<string>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const runs: Promise<void>[] = [];
    for (const id of deviceIds) {
      let run = this.pending.get(id);
      if (!run) {
        run = this.queue()(() => this.read(id)).finally(() => this.pending.delete(id));
        this.pending.set(id, run);
      }
      runs.push(run);
    }
    return Promise.all(runs).then(() => undefined);
  }

  private async read(id: string): Promise<void> {
    if (this.stopped) return; // queued before shutdown: left to the next start (the poller reads never-read phones)
    try {
      const r = await backgroundSync(id);
      const before = this.known.get(id)?.deviceRevision ?? null;
      this.known.set(id, { deviceRevision: r?.ok ? r.deviceRevision : before, readAt: Date.now() });
      // The firmware rides on the portal's own reads (new phone, local change, the slow re-read): the list shows it.
      if (r?.ok) await readFirmware(id);
    } catch (err) {
      // A device removed meanwhile (not_found) or the database going away: nothing to record; the next status retries.
      this.known.delete(id);
      logger.debug({ err, deviceId: id }, "background config read failed");
    }
  }

  /**
   * One status reply of a device (from the poller). Cheap: a map lookup per poll; the database is asked once per
   * device (first sight) to learn its last read revision.
   */
  observeStatus(deviceId: string, configRevision: number | undefined): void {
    if (this.pending.has(deviceId)) return;
    const k = this.known.get(deviceId);
    if (!k) {
      void this.learn(deviceId, configRevision);
      return;
    }
    const due = configRevision === undefined ? Date.now() - k.readAt >= env().CONFIG_SYNC_INTERVAL_S * 1000 : false;
    if (k.deviceRevision === null || (configRevision !== undefined && configRevision !== k.deviceRevision) || due) {
      // A never-read device that failed is retried at most once per poll interval (the poller's cadence).
      if (k.deviceRevision === null && Date.now() - k.readAt < env().POLL_INTERVAL_S * 1000) return;
      void this.readSoon([deviceId]);
    }
  }

  private async learn(deviceId: string, configRevision: number | undefined): Promise<void> {
    this.known.set(deviceId, { deviceRevision: null, readAt: 0 }); // placeholder: one lookup per device
    try {
      const c = await loadDesiredConfig(await getDb(), deviceId, false);
      const readAt = c.syncedAt ? Date.parse(c.syncedAt) : 0;
      const deviceRevision = c.baseline === null ? null : c.deviceRevision;
      this.known.set(deviceId, { deviceRevision, readAt });
      this.observeStatus(deviceId, configRevision);
    } catch {
      this.known.delete(deviceId);
    }
  }

  /** The portal itself changed the device's config (a push): its new revision is known, no read needed. */
  noteRevision(deviceId: string, deviceRevision: number): void {
    this.known.set(deviceId, { deviceRevision, readAt: Date.now() });
  }

  /** Shutdown: no new reads; resolves when those in flight ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Resolves when no read is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending.values()]);
  }
}

const KEY = Symbol.for("sip-admin-portal.config-reader");
type Holder = { [KEY]?: ConfigReader };

/** The process's one background config reader. */
export function configReader(): ConfigReader {
  const holder = globalThis as unknown as Holder;
  return (holder[KEY] ??= new ConfigReader());
}
