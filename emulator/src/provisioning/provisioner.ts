// One phone's provisioning client: fetches URL/<mac>.cfg at boot, every period, and when asked (check-sync,
// the web form's "now"); one fetch at a time, a request during a fetch runs once more after it.
import type { FetchRecord } from "../fleet/device";
import { fetchFile } from "./http-fetch";
import { configFileLocation, redactUrl, unsupportedUrl } from "./url";

export type ApplyResult = { ok: true; revision: number; changed: boolean } | { ok: false; error: string };

export interface ProvisioningTarget {
  readonly mac: string;
  readonly userAgent: string;
  /** Base URL to fetch from now, or null when provisioning is off. */
  provisioningBase(): string | null;
  /** Whether the phone is on the network (an unplugged phone fetches nothing). */
  online(): boolean;
  applyFile(text: string): Promise<ApplyResult>;
  recordFetch(record: FetchRecord): void;
}

export class Provisioner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private active = false;

  constructor(
    private readonly target: ProvisioningTarget,
    private readonly periodS: number | null,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Boot: fetch once now, then every period. */
  start(): void {
    if (this.active) return;
    this.active = true;
    void this.sync("boot");
    if (this.periodS) {
      this.timer = setInterval(() => void this.sync("periodic"), this.periodS * 1000);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.running;
  }

  /** Fetches now (or once more right after the fetch in progress). Resolves when that fetch is done. */
  sync(reason: string): Promise<void> {
    if (!this.active) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.fetchOnce(reason);
        } while (this.again && this.active);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async fetchOnce(reason: string): Promise<void> {
    const base = this.target.provisioningBase();
    if (!base || !this.target.online()) return;
    const at = new Date().toISOString();
    const problem = unsupportedUrl(base);
    if (problem) return this.record({ at, url: redactUrl(base), status: null, bytes: 0, revision: null, error: problem }, reason);
    const location = configFileLocation(base, this.target.mac);
    const shown = location.shown;
    const outcome = await fetchFile(location, this.target.userAgent);
    if (outcome.kind === "error")
      return this.record({ at, url: shown, status: null, bytes: 0, revision: null, error: outcome.error }, reason);
    if (outcome.status !== 200)
      return this.record({ at, url: shown, status: outcome.status, bytes: outcome.bytes, revision: null, error: `HTTP ${outcome.status}` }, reason);
    const applied = await this.target.applyFile(outcome.body);
    this.record(
      applied.ok
        ? { at, url: shown, status: 200, bytes: outcome.bytes, revision: applied.revision, error: null }
        : { at, url: shown, status: 200, bytes: outcome.bytes, revision: null, error: applied.error },
      reason,
    );
  }

  private record(record: FetchRecord, reason: string): void {
    this.target.recordFetch(record);
    if (record.error) this.log(`emulator: ${this.target.mac} provisioning (${reason}) ${record.url}: ${record.error}`);
  }
}
