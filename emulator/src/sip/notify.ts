// The phone's answer to an out-of-dialog NOTIFY (RFC 6665 style "check-sync", as provisioning servers send):
// `Event: check-sync[;reboot=true|false]` → 200 and the phone fetches its file (or reboots), other events → 489.
// With a SIP password configured, the NOTIFY is challenged (401 digest) and the retry's Authorization checked.
// Retransmissions of a request get the same answer without acting twice (a minimal server transaction).
import { DigestGuard } from "./digest-guard";
import { type SipRequest, type SipResponse, header, makeResponse, parseParams, parseVia, randomToken } from "./message";

export interface NotifyCredentials {
  /** Digest user expected in the Authorization (the line's auth name). */
  user: string;
  /** Empty: no challenge. */
  password: string;
}

export type CheckSync = (reboot: boolean) => void;

/** Timer J for UDP (64·T1 with T1 = 500 ms): how long an answer is replayed for a retransmission. */
const REPLAY_MS = 32_000;

export class NotifyHandler {
  private readonly guard: DigestGuard;
  private readonly answered = new Map<string, { response: SipResponse; at: number }>();

  constructor(
    realm: string,
    private readonly credentials: () => NotifyCredentials,
    private readonly onCheckSync: CheckSync,
  ) {
    this.guard = new DigestGuard(() => realm);
  }

  answer(request: SipRequest): SipResponse {
    const key = transactionKey(request);
    const now = Date.now();
    for (const [k, v] of this.answered) if (now - v.at > REPLAY_MS) this.answered.delete(k);
    const replay = key ? this.answered.get(key) : undefined;
    if (replay) return replay.response;
    const { response, act } = this.decide(request);
    if (key) this.answered.set(key, { response, at: now });
    if (act) act();
    return response;
  }

  private decide(request: SipRequest): { response: SipResponse; act?: () => void } {
    const tag = randomToken(4);
    const event = parseEvent(header(request, "event"));
    if (!event || event.name !== "check-sync")
      return { response: makeResponse(request, 489, "Bad Event", [["allow-events", "check-sync"]], tag) };
    const { user, password } = this.credentials();
    if (password !== "") {
      const challenge = this.guard.check({ authorization: header(request, "authorization"), method: request.method }, user, password);
      if (challenge) return { response: makeResponse(request, 401, "Unauthorized", [["www-authenticate", challenge]], tag) };
    }
    const reboot = (event.params.reboot ?? "false").toLowerCase() === "true";
    return { response: makeResponse(request, 200, "OK", [], tag), act: () => this.onCheckSync(reboot) };
  }
}

/** `check-sync;reboot=false` → {name, params}; null when absent. */
export function parseEvent(value: string | undefined): { name: string; params: Record<string, string> } | null {
  if (!value) return null;
  const semi = value.indexOf(";");
  const name = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  return { name, params: semi < 0 ? {} : parseParams(value.slice(semi)) };
}

function transactionKey(request: SipRequest): string | null {
  const via = header(request, "via");
  if (!via) return null;
  try {
    const branch = parseVia(via).params.branch;
    return branch ? `${branch} ${request.method}` : null;
  } catch {
    return null;
  }
}
