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
  /** A read saw a push of this revision arrive before the push recorded it (sync.ts ownPushLanding): since when. */
  landing?: { revision: number; since: number };
}

// How long a push seen landing is left to record itself: the longest a push runs (read, PATCH, a re-read and PATCH
// after a 412, read-back — each at most DEVICE_TIMEOUT_MS). After that (the pushing process died) it is recorded.
const landingGraceMs = () => 5 * env().DEVICE_TIMEOUT_MS;

class ConfigReader {
  private limit: LimitFunction | null = null;
  private readonly pending = new Map<string, Promise<void>>();
  private readonly known = new Map<string, Known>();
  /** Pushes of a device running in this process (count): the revision they cause is theirs to record. */
  private readonly pushes = new Map<string, number>();

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
      const k = this.known.get(id);
      const waited = k?.landing !== undefined && Date.now() - k.landing.since >= landingGraceMs();
      const r = await backgroundSync(id, { awaitPush: !waited });
      const before = this.known.get(id)?.deviceRevision ?? null;
      if (r && "landing" in r) {
        const landing = k?.landing?.revision === r.landing ? k.landing : { revision: r.landing, since: Date.now() };
        this.known.set(id, { deviceRevision: before, readAt: Date.now(), landing });
        return;
      }
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
    if (this.pending.has(deviceId) || this.pushes.has(deviceId)) return;
    const k = this.known.get(deviceId);
    if (!k) {
      void this.learn(deviceId, configRevision);
      return;
    }
    // A push seen landing records itself (noteRevision here, or another process's record); read again after the grace.
    if (k.landing && configRevision === k.landing.revision && Date.now() - k.landing.since < landingGraceMs()) return;
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

  /**
   * A push of the device starts in this process: until the returned end is called, its status replies trigger no
   * read (the revision the push causes is the push's to record; a read meanwhile would see it as a local change).
   */
  pushing(deviceId: string): () => void {
    this.pushes.set(deviceId, (this.pushes.get(deviceId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.pushes.get(deviceId) ?? 1) - 1;
      if (n > 0) this.pushes.set(deviceId, n);
      else this.pushes.delete(deviceId);
    };
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
