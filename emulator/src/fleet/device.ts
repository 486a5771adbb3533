// One emulated MT505: its config + revision, credentials, identity, SIP phone, HTTP server and injected fault.
import { createHash } from "node:crypto";
import http from "node:http";
import type { ConfigValues, CreateSipPhone, SipPhone, SipStatus } from "../sip/phone-contract";
import { SECRET_MASK } from "../config/reference";
import { parseCfg } from "../config/cfg-format";
import { applyChange, type FieldErrors } from "../config/validate";
import { Provisioner, type ApplyResult } from "../provisioning/provisioner";
import { provisioningBase } from "../provisioning/source";
import { ifMatchHolds, revisionEtag, type IfMatch } from "../http/conditional";
import { emptyCounts, type RequestCounts, type RequestKind } from "../http/request-kind";
import type { StateStore } from "../state/store";
import type { KeyProfile, KeyProfileName } from "../profiles/index";
import { idleStatus } from "./idle-status";

export type FaultMode = "none" | "offline" | "slow" | "http500" | "garbage" | "reject-auth";
export const FAULT_MODES: readonly FaultMode[] = ["none", "offline", "slow", "http500", "garbage", "reject-auth"];

export interface Fault {
  mode: FaultMode;
  /** Delay for "slow", ms. */
  delayMs: number;
}

export interface DeviceIdentity {
  index: number;
  ip: string;
  httpPort: number;
  name: string;
  username: string;
  password: string;
  sipUser: string;
  serial: string;
  mac: string;
  /** Which key tree the phone stores and speaks. */
  keyProfile: KeyProfileName;
  /** Which HTTP interface it serves: the JSON device API or the family's web interface. */
  api: DeviceApiKind;
}

export const DEVICE_API_KINDS = ["json", "web"] as const;
export type DeviceApiKind = (typeof DEVICE_API_KINDS)[number];

export type ChangeResult =
  | { ok: true; revision: number }
  | { ok: false; kind: "stale"; revision: number }
  | { ok: false; kind: "invalid"; errors: FieldErrors };

export const FIRMWARE = "2.4.1-emu";

/** One provisioning fetch as the control surface lists it (the URL never carries the password). */
export interface FetchRecord {
  at: string;
  url: string;
  /** HTTP status, or null when no answer came (connection refused, timeout). */
  status: number | null;
  bytes: number;
  /** The revision the file left the phone at (unchanged when it changed nothing), or null when not applied. */
  revision: number | null;
  error: string | null;
}

const MAX_FETCHES = 100;

export class Device {
  readonly identity: DeviceIdentity;
  private values: ConfigValues;
  private revisionNo: number;
  private phone: SipPhone | null = null;
  private unsubscribe: (() => void) | null = null;
  private server: http.Server | null = null;
  private bootedAt = Date.now();
  private waiters = new Set<(force: boolean) => void>();
  private saving: Promise<void> = Promise.resolve();
  private rebootTimer: NodeJS.Timeout | null = null;
  fault: Fault = { mode: "none", delayMs: 0 };
  /** Requests this phone served, per kind (since the emulator started; survives reboots). */
  readonly requests: RequestCounts = emptyCounts();
  private readonly fetchLog: FetchRecord[] = [];
  private readonly provisioner: Provisioner;

  constructor(
    identity: DeviceIdentity,
    initial: { values: ConfigValues; revision: number },
    private readonly deps: {
      createPhone: CreateSipPhone;
      listener: http.RequestListener;
      store: StateStore | null;
      profile: KeyProfile;
      /** The URL a DHCP server would hand this phone (--provisioning-url), and the fetch period. */
      provisioning?: { dhcpUrl: string | null; periodS: number | null };
      /** How long a reboot asked for by check-sync keeps the phone away, ms. */
      rebootMs?: number;
    },
  ) {
    this.identity = identity;
    this.values = initial.values;
    this.revisionNo = initial.revision;
    const dhcpUrl = deps.provisioning?.dhcpUrl ?? null;
    this.provisioner = new Provisioner(
      {
        mac: identity.mac,
        userAgent: `AUDC-IPPhone/${FIRMWARE} (emulated ${identity.keyProfile}; ${identity.mac.replace(/:/g, "")})`,
        provisioningBase: () => provisioningBase(this.values, dhcpUrl),
        online: () => this.fault.mode !== "offline" && this.rebootTimer === null,
        applyFile: (text) => this.applyProvisioningFile(text),
        recordFetch: (record) => this.recordFetch(record),
      },
      deps.provisioning?.periodS ?? null,
    );
  }

  get ip(): string {
    return this.identity.ip;
  }
  get address(): string {
    return `${this.identity.ip}:${this.identity.httpPort}`;
  }
  /** How long a reboot asked for by the phone's own interfaces keeps it away, ms. */
  get rebootMs(): number {
    return this.deps.rebootMs ?? 1500;
  }
  get profile(): KeyProfile {
    return this.deps.profile;
  }
  get revision(): number {
    return this.revisionNo;
  }
  get uptimeS(): number {
    return Math.floor((Date.now() - this.bootedAt) / 1000);
  }
  get listening(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    this.bootedAt = Date.now();
    await this.startPhone();
    await this.listen();
    this.provisioner.start();
  }

  async stop(): Promise<void> {
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    this.rebootTimer = null;
    await this.provisioner.stop();
    this.notifyWaiters(true);
    await this.closeHttp();
    await this.stopPhone();
    await this.saving;
  }

  // ---- config ------------------------------------------------------------------------------------------

  /** Stored values (secrets in clear): for the SIP phone and persistence only, never for an HTTP answer. */
  rawValues(): ConfigValues {
    return { ...this.values };
  }

  /** Values as the API shows them: secrets masked, read-only keys reflecting the live SIP state. */
  publicValues(): ConfigValues {
    const shown: ConfigValues = { ...this.values };
    const { secretKeys, redundantFlagKey } = this.profile;
    for (const key of secretKeys) if (key in shown) shown[key] = shown[key] === "" ? "" : SECRET_MASK;
    if (redundantFlagKey) shown[redundantFlagKey] = this.status().proxy === "redundant" ? 1 : 0;
    return shown;
  }

  /**
   * Applies a partial change atomically. `expectedRevision` (from If-Match) makes it conditional.
   * `replace` starts from factory defaults instead of the current values (PUT config.cfg); `keep` lists keys
   * a replacement leaves as they are when the new config does not mention them.
   */
  async change(
    change: Record<string, unknown>,
    opts: { ifMatch?: IfMatch; replace?: boolean; keep?: ReadonlySet<string> } = {},
  ): Promise<ChangeResult> {
    if (!ifMatchHolds(opts.ifMatch ?? null, revisionEtag(this.revisionNo)))
      return { ok: false, kind: "stale", revision: this.revisionNo };
    const incoming = { ...change };
    // The masked secret means "keep what is stored" (a GET → edit → PATCH round trip must not erase it).
    const profile = this.profile;
    for (const key of profile.secretKeys) if (incoming[key] === SECRET_MASK) incoming[key] = this.values[key] ?? "";
    // The read-only flag echoed back unchanged (e.g. from a config.cfg backup) is tolerated, not applied.
    if (opts.replace) for (const key of profile.readOnlyKeys) delete incoming[key];
    let base = this.values;
    if (opts.replace) {
      base = { ...profile.defaults(), ...this.identityDefaults() };
      for (const key of opts.keep ?? []) if (key in this.values && !(key in incoming)) base[key] = this.values[key];
    }
    const result = applyChange(base, incoming, profile.byKey);
    if (!result.ok) return { ok: false, kind: "invalid", errors: result.errors };
    const changed = JSON.stringify(sorted(result.values)) !== JSON.stringify(sorted(this.values));
    if (changed) {
      this.values = result.values;
      this.revisionNo += 1;
      this.phone?.updateConfig(this.sipConfig());
      this.persist();
      // The status carries configRevision: long-polls learn about the change at once.
      this.notifyWaiters();
    }
    return { ok: true, revision: this.revisionNo };
  }

  /** The config in the reference tree, which the SIP user agent reads. */
  private sipConfig(): ConfigValues {
    return this.profile.toCanonical(this.values);
  }

  /**
   * A fetched provisioning file: `key=value` in the phone's tree, applied like a PUT of config.cfg (whole
   * config, atomic), except that provisioning keys the file does not mention stay as they are.
   */
  async applyProvisioningFile(text: string): Promise<ApplyResult> {
    const parsed = parseCfg(text, this.profile.byKey);
    if (Object.keys(parsed.errors).length > 0) return { ok: false, error: describeErrors(parsed.errors) };
    const before = this.revisionNo;
    const result = await this.change(parsed.values, { replace: true, keep: this.profile.provisioningKeys });
    if (result.ok) return { ok: true, revision: result.revision, changed: result.revision !== before };
    return { ok: false, error: result.kind === "invalid" ? describeErrors(result.errors) : "stale revision" };
  }

  /** Fetch the provisioning file now (check-sync, the web form's "now"); resolves when the fetch is done. */
  syncProvisioning(reason: string): Promise<void> {
    return this.provisioner.sync(reason);
  }

  /** Identity keys a factory reset keeps (the line id is the phone's SIP user). */
  private identityDefaults(): ConfigValues {
    return { "voip/line/0/id": this.identity.sipUser };
  }

  private persist(): void {
    const store = this.deps.store;
    if (!store) return;
    const snapshot = { revision: this.revisionNo, values: this.rawValues(), keyProfile: this.identity.keyProfile };
    // Chained so writes land in order; a failed write is reported but does not break later ones.
    this.saving = this.saving
      .then(() => store.save(this.ip, snapshot))
      .catch((error: unknown) => console.error(`emulator: cannot save state of ${this.ip}: ${String(error)}`));
  }

  // ---- status ------------------------------------------------------------------------------------------

  status(): SipStatus {
    if (!this.phone) return idleStatus(this.bootedAt, "booting");
    return this.phone.status();
  }

  /** Status as served over HTTP: ISO times, plus the config revision so a poller notices local changes. */
  statusView(): Record<string, unknown> {
    return { ...renderStatus(this.status()), configRevision: this.revisionNo };
  }

  // ---- bookkeeping for the control surface -------------------------------------------------------------

  countRequest(kind: RequestKind): void {
    this.requests[kind] += 1;
  }

  recordFetch(record: FetchRecord): void {
    this.fetchLog.push(record);
    if (this.fetchLog.length > MAX_FETCHES) this.fetchLog.shift();
  }

  /** Provisioning fetches, oldest first (at most 100). */
  fetches(): FetchRecord[] {
    return this.fetchLog.map((f) => ({ ...f }));
  }

  statusEtag(): string {
    const hash = createHash("sha1").update(JSON.stringify(this.statusView())).digest("base64url").slice(0, 16);
    return `"${hash}"`;
  }

  /** Status long-polls this phone holds right now (the control surface shows it). */
  get statusWaiters(): number {
    return this.waiters.size;
  }

  /**
   * Resolves when the status ETag differs from `etag`, after `ms`, or when the client leaves: `onGone(release)`
   * arranges for `release` to be called then and returns how to stop watching.
   */
  waitForStatusChange(etag: string, ms: number, onGone?: (release: () => void) => () => void): Promise<void> {
    if (this.statusEtag() !== etag) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        unwatch?.();
        resolve();
      };
      const unwatch = onGone?.(done);
      // `force` releases the request regardless (device going down): the client gets the current status.
      const check = (force: boolean) => {
        if (force || this.statusEtag() !== etag) done();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(check);
    });
  }

  private notifyWaiters(force = false): void {
    for (const check of [...this.waiters]) check(force);
  }

  // ---- SIP ---------------------------------------------------------------------------------------------

  private async startPhone(): Promise<void> {
    const config = this.sipConfig();
    const phone = this.deps.createPhone({
      localAddress: this.ip,
      localPort: Number(config["voip/signalling/sip/port"]) || 5060,
      config,
      onCheckSync: (reboot) => {
        if (reboot) void this.reboot(this.rebootMs);
        else void this.syncProvisioning("check-sync");
      },
    });
    this.phone = phone;
    this.unsubscribe = phone.onChange(() => this.notifyWaiters());
    await phone.start();
    if (this.fault.mode === "offline") phone.setOffline(true);
  }

  private async stopPhone(): Promise<void> {
    const phone = this.phone;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.phone = null;
    this.notifyWaiters(true);
    await phone?.stop();
  }

  setPartition(role: "primary" | "redundant", cut: boolean): void {
    this.phone?.setPartition(role, cut);
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  private listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = http.createServer({ keepAliveTimeout: 30_000 }, this.deps.listener);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.identity.httpPort, this.ip, () => {
        server.off("error", reject);
        this.server = server;
        resolve();
      });
    });
  }

  private async closeHttp(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // Drop kept-alive connections too: an unplugged phone answers nothing.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  // ---- faults ------------------------------------------------------------------------------------------

  async setFault(fault: Fault): Promise<void> {
    const wasOffline = this.fault.mode === "offline";
    this.fault = fault;
    if (fault.mode === "offline" && !wasOffline) {
      this.phone?.setOffline(true);
      this.notifyWaiters();
      await this.closeHttp();
    } else if (fault.mode !== "offline" && wasOffline && !this.rebootTimer) {
      this.phone?.setOffline(false);
      await this.listen();
    }
  }

  /** Power-cycles the phone: SIP unregisters, HTTP goes away, both come back after `downMs`; uptime restarts. */
  async reboot(downMs: number): Promise<void> {
    if (this.rebootTimer) return;
    await this.provisioner.stop();
    this.notifyWaiters(true);
    await this.closeHttp();
    await this.stopPhone();
    this.bootedAt = Date.now();
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = null;
      this.bootedAt = Date.now();
      void (async () => {
        await this.startPhone();
        if (this.fault.mode !== "offline") await this.listen();
        this.provisioner.start();
      })().catch((error: unknown) => console.error(`emulator: ${this.ip} failed to boot: ${String(error)}`));
    }, downMs);
  }
}

function describeErrors(errors: FieldErrors): string {
  return Object.entries(errors).map(([key, message]) => `${key}: ${message}`).join("; ");
}

function sorted(values: ConfigValues): [string, string | number][] {
  return Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function renderStatus(s: SipStatus): Record<string, unknown> {
  const health = (h: SipStatus["keepAlive"]["primary"]) => ({
    address: h.address,
    reachable: h.reachable,
    lastOkAt: iso(h.lastOkAt),
    lastFailAt: iso(h.lastFailAt),
    rttMs: h.rttMs,
  });
  return {
    state: s.state,
    proxy: s.proxy,
    registrar: s.registrar,
    since: iso(s.since),
    registeredAt: iso(s.registeredAt),
    expiresAt: iso(s.expiresAt),
    lastError: s.lastError,
    keepAlive: { primary: health(s.keepAlive.primary), redundant: health(s.keepAlive.redundant) },
    transitions: s.transitions.map((t) => ({ at: iso(t.at), from: t.from, to: t.to, reason: t.reason })),
  };
}
