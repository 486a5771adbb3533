// The portal's SIP user agent client over UDP: one socket, any number of concurrent non-INVITE transactions
// (check-sync NOTIFY to phones, OPTIONS probes to proxies). Each request is an RFC 3261 §17.1.2 transaction with
// retransmissions (transaction.ts); a 401/407 is answered once with Digest (lib/digest) when credentials are given
// (again only when the server says the nonce was stale). No dialogs, no server transactions: a request that arrives
// on this socket is ignored.
import dgram from "node:dgram";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { authorizationFor, parseChallenge } from "@/lib/digest";
import { cseqOf, headerOf, newBranch, parseIncoming, serializeRequest, token, topViaBranch, type SipHeaderList, type SipIncoming } from "./message";
import { nextRetransmitMs, timersWith, type SipTimerSettings } from "./transaction";

export interface SipAuth {
  username: string;
  password: string;
}

export interface SipRequestOptions {
  /** e.g. "NOTIFY", "OPTIONS". */
  method: string;
  /** Where the datagram goes: "host[:port]" (port 5060 when absent; IPv6 as "[::1]:5060"). */
  target: string;
  /** Request-URI; default `sip:<target>`. */
  uri?: string;
  /** To URI; default the Request-URI. */
  to?: string;
  /** Extra headers (Event, Subscription-State, Accept …); Via/From/To/Call-ID/CSeq/Max-Forwards are set here. */
  headers?: Record<string, string> | SipHeaderList;
  body?: string;
  /** Answer a 401/407 Digest challenge with these. */
  auth?: SipAuth;
  timers?: Partial<SipTimerSettings>;
}

export type SipResult =
  | {
      outcome: "response";
      status: number;
      reason: string;
      headers: SipHeaderList;
      body: string;
      /** From the first send of the (last) request to its final response. */
      rttMs: number;
      /** The final response answers a request that carried Digest credentials. */
      authenticated: boolean;
    }
  | { outcome: "timeout"; afterMs: number; retransmissions: number }
  /** Nothing was sent: the target could not be resolved, or the socket refused the datagram. */
  | { outcome: "error"; message: string };

export interface SipClientOptions {
  /** Local address to bind; default 0.0.0.0 (every interface). */
  host?: string;
  /** Local port; default 0 (any free port). */
  port?: number;
  /** Display/user part of From; default "portal". */
  user?: string;
  userAgent?: string;
  /**
   * Checked with each request's resolved target address before anything is sent: a message refuses it (the
   * request's outcome is "error" with that message). The portal's shared client passes DEVICE_NETWORKS here.
   */
  refuse?: (ip: string, target: string) => string | null;
}

export interface SipClient {
  /** The bound local address (after start). */
  readonly local: { host: string; port: number };
  request(options: SipRequestOptions): Promise<SipResult>;
  close(): Promise<void>;
}

interface Pending {
  onResponse(message: SipIncoming): void;
  abort(reason: string): void;
}

const MAX_AUTH_ROUNDS = 2;

export function splitTarget(target: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : 5060 };
  const m = /^([^:]+)(?::(\d+))?$/.exec(target);
  if (!m) throw new Error(`SIP target must be host[:port], got "${target}"`);
  const port = m[2] ? Number(m[2]) : 5060;
  if (port < 1 || port > 65535) throw new Error(`SIP target port out of range in "${target}"`);
  return { host: m[1], port };
}

const hostPort = (host: string, port: number) => (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`);

/** Opens the socket. Close it with `close()` (the portal's shared one: closeSharedSipClient). */
export async function createSipClient(options: SipClientOptions = {}): Promise<SipClient> {
  const bindHost = options.host ?? "0.0.0.0";
  const socket = dgram.createSocket(isIP(bindHost) === 6 ? "udp6" : "udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, bindHost, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const { port: localPort } = socket.address();
  const pending = new Map<string, Pending>();
  const user = options.user ?? "portal";
  const userAgent = options.userAgent ?? "SIP Admin Portal";
  let closed = false;

  socket.on("message", (data) => {
    let message: SipIncoming;
    try {
      message = parseIncoming(data);
    } catch {
      return; // not SIP: nothing to answer
    }
    if (message.status === 0) return;
    const branch = topViaBranch(message);
    if (branch) pending.get(branch)?.onResponse(message);
  });
  socket.on("error", () => {
    /* per-send errors are reported by send callbacks; a socket error must not crash the portal */
  });

  /** The source address the kernel picks toward `host` (what to write in Via when bound to a wildcard). */
  async function localAddressToward(host: string, port: number): Promise<string> {
    if (bindHost !== "0.0.0.0" && bindHost !== "::") return bindHost;
    const probe = dgram.createSocket(isIP(host) === 6 ? "udp6" : "udp4");
    try {
      await new Promise<void>((resolve, reject) => {
        probe.once("error", reject);
        probe.connect(port, host, () => resolve());
      });
      return probe.address().address;
    } finally {
      probe.close();
    }
  }

  async function resolve(host: string): Promise<string> {
    return isIP(host) ? host : (await lookup(host)).address;
  }

  /** One transaction: send, retransmit per Timer E, stop at a final response or Timer F. */
  function transact(datagram: Buffer, branch: string, ip: string, port: number, timers: SipTimerSettings) {
    return new Promise<{ response: SipIncoming; rttMs: number } | { timeout: true; afterMs: number; retransmissions: number } | { error: string }>(
      (done) => {
        const started = performance.now();
        let proceeding = false;
        let interval = 0;
        let retransmissions = 0;
        let timer: NodeJS.Timeout | undefined;
        const finish = (value: Parameters<typeof done>[0]) => {
          clearTimeout(timer);
          clearTimeout(timerF);
          pending.delete(branch);
          done(value);
        };
        const timerF = setTimeout(
          () => finish({ timeout: true, afterMs: Math.round(performance.now() - started), retransmissions }),
          timers.timeoutMs,
        );
        const send = (first: boolean) => {
          if (closed) return finish({ error: "SIP client closed" });
          socket.send(datagram, port, ip, (err) => {
            if (err && first) finish({ error: `cannot send to ${hostPort(ip, port)}: ${err.message}` });
          });
          interval = nextRetransmitMs(interval, proceeding, timers);
          timer = setTimeout(() => {
            retransmissions += 1;
            send(false);
          }, interval);
        };
        pending.set(branch, {
          abort: (reason) => finish({ error: reason }),
          onResponse(message) {
            if (message.status < 200) {
              // Proceeding: keep retransmitting, but at T2 (RFC 3261 §17.1.2.2).
              if (!proceeding) {
                proceeding = true;
                clearTimeout(timer);
                interval = 0;
                timer = setTimeout(() => {
                  retransmissions += 1;
                  send(false);
                }, timers.t2Ms);
              }
              return;
            }
            finish({ response: message, rttMs: Math.round(performance.now() - started) });
          },
        });
        send(true);
      },
    );
  }

  async function request(opts: SipRequestOptions): Promise<SipResult> {
    if (closed) return { outcome: "error", message: "SIP client is closed" };
    let target: { host: string; port: number };
    let ip: string;
    let via: string;
    try {
      target = splitTarget(opts.target);
      ip = await resolve(target.host);
    } catch (e) {
      return { outcome: "error", message: `cannot reach SIP target ${opts.target}: ${(e as Error).message}` };
    }
    const refusal = options.refuse?.(ip, opts.target);
    if (refusal) return { outcome: "error", message: `not sent to SIP target ${opts.target}: ${refusal}` };
    try {
      via = await localAddressToward(ip, target.port);
    } catch (e) {
      return { outcome: "error", message: `cannot reach SIP target ${opts.target}: ${(e as Error).message}` };
    }
    const timers = timersWith(opts.timers);
    const method = opts.method.toUpperCase();
    const uri = opts.uri ?? `sip:${hostPort(target.host, target.port)}`;
    const callId = `${token(10)}@${via}`;
    const fromTag = token(6);
    const extra: SipHeaderList = Array.isArray(opts.headers) ? opts.headers : Object.entries(opts.headers ?? {});
    let cseq = 1;
    let authHeader: [string, string] | undefined;
    for (let round = 0; ; round += 1) {
      const branch = newBranch();
      const headers: SipHeaderList = [
        ["Via", `SIP/2.0/UDP ${hostPort(via, localPort)};branch=${branch};rport`],
        ["Max-Forwards", "70"],
        ["From", `<sip:${user}@${hostPort(via, localPort)}>;tag=${fromTag}`],
        ["To", `<${opts.to ?? uri}>`],
        ["Call-ID", callId],
        ["CSeq", `${cseq} ${method}`],
        ["User-Agent", userAgent],
        ...(authHeader ? [authHeader] : []),
        ...extra,
      ];
      let datagram: Buffer;
      try {
        datagram = serializeRequest({ method, uri, headers, body: opts.body });
      } catch (e) {
        return { outcome: "error", message: (e as Error).message };
      }
      const result = await transact(datagram, branch, ip, target.port, timers);
      if ("error" in result) return { outcome: "error", message: result.error };
      if ("timeout" in result) return { outcome: "timeout", afterMs: result.afterMs, retransmissions: result.retransmissions };
      const { response } = result;
      const answered = cseqOf(response);
      const challenged = response.status === 401 || response.status === 407;
      const challenge = challenged ? parseChallenge(headerOf(response, response.status === 401 ? "www-authenticate" : "proxy-authenticate")) : null;
      const retry = challenge && opts.auth && round < MAX_AUTH_ROUNDS && (round === 0 || challenge.stale) && answered?.method === method;
      if (!retry) {
        return {
          outcome: "response",
          status: response.status,
          reason: response.reason,
          headers: response.headers,
          body: response.body,
          rttMs: result.rttMs,
          authenticated: authHeader !== undefined,
        };
      }
      cseq += 1;
      authHeader = [
        response.status === 401 ? "Authorization" : "Proxy-Authorization",
        authorizationFor(challenge, { username: opts.auth!.username, password: opts.auth!.password, method, uri }),
      ];
    }
  }

  return {
    local: { host: bindHost, port: localPort },
    request,
    async close() {
      if (closed) return;
      closed = true;
      for (const p of [...pending.values()]) p.abort("SIP client closed");
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
