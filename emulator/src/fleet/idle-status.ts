import type { SipStatus } from "../sip/phone-contract";

/** The status of a phone that is not trying to register (booting, or SIP disabled). */
export function idleStatus(since: number, lastError: string): SipStatus {
  const idle = () => ({ address: null, reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null });
  return {
    state: "unregistered",
    proxy: null,
    registrar: null,
    since,
    registeredAt: null,
    expiresAt: null,
    lastError,
    keepAlive: { primary: idle(), redundant: idle() },
    transitions: [],
  };
}
