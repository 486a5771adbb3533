// "Fetch your configuration now": the NOTIFY with Event: check-sync that phones of the AudioCodes/Polycom lineage
// (and the MT505, assumed) act on (shared/reference/audiocodes-hd-family.md). Sent out of dialog, so it carries
// Subscription-State: terminated like Asterisk's and Kamailio's check-sync notifies.
import type { SipAuth, SipClient, SipResult } from "./client";
import type { SipTimerSettings } from "./transaction";

export interface CheckSyncOptions {
  /** "host[:port]" of the phone's SIP user agent. */
  target: string;
  /** The line's SIP user (Request-URI user part); optional. */
  user?: string;
  /** The line's SIP credentials, to answer the phone's 401/407. */
  auth?: SipAuth;
  /** Ask the phone to reboot after fetching (default false: apply without a reboot). */
  reboot?: boolean;
  timers?: Partial<SipTimerSettings>;
}

export function checkSyncUri(target: string, user?: string): string {
  return user ? `sip:${encodeURIComponent(user)}@${target}` : `sip:${target}`;
}

export function sendCheckSync(client: SipClient, options: CheckSyncOptions): Promise<SipResult> {
  return client.request({
    method: "NOTIFY",
    target: options.target,
    uri: checkSyncUri(options.target, options.user),
    headers: [
      ["Event", `check-sync;reboot=${options.reboot ? "true" : "false"}`],
      ["Subscription-State", "terminated"],
    ],
    auth: options.auth,
    timers: options.timers,
  });
}

/** One line an administrator can read: what the phone answered. */
export function describeSipResult(result: SipResult, target: string): string {
  if (result.outcome === "timeout") return `no answer from ${target} within ${(result.afterMs / 1000).toFixed(1)} s (${result.retransmissions} retransmissions)`;
  if (result.outcome === "error") return result.message;
  return `${target} answered ${result.status} ${result.reason}`.trim();
}
