// Contract between the emulator's SIP user agent (emulator/src/sip) and the rest of the emulator
// (fleet, HTTP API, control surface). The SIP side implements `createSipPhone`; the HTTP side only
// uses what is declared here. Times are epoch milliseconds inside the emulator; the HTTP layer renders ISO strings.

/** Device config as the device holds it: key → value (booleans 0/1, numbers, strings). */
export type ConfigValues = Record<string, string | number>;

export type RegistrationState = "registered" | "registering" | "unregistered" | "failed";
export type ProxyRole = "primary" | "redundant";

export interface ProxyHealth {
  /** host:port the phone sends to for this role, or null when the role is not configured. */
  address: string | null;
  /** Last keep-alive/REGISTER outcome seen for this proxy; null before the first probe. */
  reachable: boolean | null;
  lastOkAt: number | null;
  lastFailAt: number | null;
  /** Round-trip time of the last answered OPTIONS/REGISTER, ms. */
  rttMs: number | null;
}

export interface Transition {
  at: number;
  from: { state: RegistrationState; proxy: ProxyRole | null };
  to: { state: RegistrationState; proxy: ProxyRole | null };
  /** Human-readable cause, e.g. "primary did not answer OPTIONS (timeout)". */
  reason: string;
}

export interface SipStatus {
  state: RegistrationState;
  proxy: ProxyRole | null;
  /** host:port of the registrar the phone is registered (or registering) to. */
  registrar: string | null;
  since: number;
  registeredAt: number | null;
  expiresAt: number | null;
  lastError: string | null;
  keepAlive: { primary: ProxyHealth; redundant: ProxyHealth };
  /** Most recent first, at most 50. */
  transitions: Transition[];
}

export interface SipPhoneOptions {
  /** Loopback address the phone's UDP socket binds to (its own, e.g. 127.30.0.7). */
  localAddress: string;
  /** Local SIP port; normally the config's voip/signalling/sip/port. */
  localPort?: number;
  /** The device config; the phone derives proxies, timers, identity and credentials from it. */
  config: ConfigValues;
  /** An accepted `NOTIFY` with `Event: check-sync` (reboot=true asks for a reboot). Absent → NOTIFY gets 489. */
  onCheckSync?: (reboot: boolean) => void;
}

export interface SipPhone {
  start(): Promise<void>;
  /** Unregisters (best effort) and closes the socket. */
  stop(): Promise<void>;
  /** Apply a new config without restart; re-registers when proxy/registrar/account/timer settings changed. */
  updateConfig(config: ConfigValues): void;
  status(): SipStatus;
  /** Called after every status change (state, proxy, health, error). */
  onChange(listener: (status: SipStatus) => void): () => void;
  /** Fault injection: drop all SIP traffic to/from the given proxy role (a partition seen by this phone only). */
  setPartition(role: ProxyRole, cut: boolean): void;
  /** Fault injection: the whole phone is off the network (no SIP sent or received). */
  setOffline(offline: boolean): void;
}

export type CreateSipPhone = (options: SipPhoneOptions) => SipPhone;
