// lib/sip: the portal's SIP client over UDP (check-sync NOTIFY, OPTIONS probes). See ARCHITECTURE.md "SIP client".
//   const sip = await sharedSipClient();                    // or createSipClient({host, port}) in tests
//   const r = await sip.request({ method: "OPTIONS", target: "192.0.2.10:5060", timers: { timeoutMs: 3000 } });
//   r.outcome === "response" ? r.status : r.outcome        // "timeout" after Timer F, "error" when nothing was sent
export { createSipClient, splitTarget, type SipAuth, type SipClient, type SipClientOptions, type SipRequestOptions, type SipResult } from "./client";
export { checkSyncUri, describeSipResult, sendCheckSync, type CheckSyncOptions } from "./check-sync";
export { headerOf, type SipHeaderList } from "./message";
export { closeSharedSipClient, sharedSipClient } from "./shared";
export { DEFAULT_TIMERS, retransmitTimes, timersWith, type SipTimerSettings } from "./transaction";
