import dgram from "node:dgram";
import {
  type SipRequest,
  type SipResponse,
  header,
  makeResponse,
  parseCSeq,
  parseMessage,
  parseVia,
  randomToken,
  serializeMessage,
} from "./message";

// One UDP socket speaking SIP: non-INVITE client transactions (RFC 3261 §17.1.2) and a request hook for
// server-side answers. Responses to incoming requests go back to the packet's source address and port,
// which is what rport (RFC 3581) asks for and what works through NAT.

export interface Target {
  host: string;
  port: number;
}

export interface SipTimers {
  t1: number;
  t2: number;
}

export type TransactionResult =
  | { kind: "response"; response: SipResponse; rttMs: number }
  | { kind: "timeout" }
  | { kind: "closed" };

export interface EndpointOptions {
  address: string;
  port: number;
  /** Answers an incoming request; return null to stay silent. */
  onRequest?: (request: SipRequest, from: Target) => SipResponse | null;
  /** Fault injection: return true to drop a packet to/from this peer. */
  drop?: (peer: Target) => boolean;
  /** Whether to add `;rport` to our Via (config voip/signalling/sip/rport/enabled). */
  rport?: () => boolean;
}

interface PendingTransaction {
  method: string;
  finish: (result: TransactionResult) => void;
  onProvisional: () => void;
}

export const BRANCH_MAGIC = "z9hG4bK";

export class SipEndpoint {
  private socket: dgram.Socket | null = null;
  private readonly pending = new Map<string, PendingTransaction>();

  constructor(private readonly options: EndpointOptions) {}

  get address(): string {
    return this.options.address;
  }

  /** The bound port (useful when options.port was 0). */
  get port(): number {
    return this.socket?.address().port ?? this.options.port;
  }

  async start(): Promise<void> {
    const socket = dgram.createSocket({ type: "udp4" });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", (err) =>
        reject(new Error(`Cannot bind SIP UDP socket to ${this.options.address}:${this.options.port}: ${err.message}`)),
      );
      socket.bind(this.options.port, this.options.address, () => resolve());
    });
    socket.removeAllListeners("error");
    // Unconnected UDP sockets rarely error; a late error must not crash the emulator.
    socket.on("error", () => undefined);
    socket.on("message", (data, rinfo) => this.receive(data, { host: rinfo.address, port: rinfo.port }));
    this.socket = socket;
  }

  async stop(): Promise<void> {
    for (const tx of [...this.pending.values()]) tx.finish({ kind: "closed" });
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /**
   * Runs a non-INVITE client transaction: adds a fresh Via branch, retransmits (Timer E: T1 doubling up to
   * T2; T2 once a provisional arrived) and gives up after Timer F = 64·T1.
   */
  request(target: Target, request: SipRequest, timers: SipTimers): Promise<TransactionResult> {
    const branch = BRANCH_MAGIC + randomToken(8);
    const rport = this.options.rport?.() ?? true;
    const via = `SIP/2.0/UDP ${this.address}:${this.port};branch=${branch}${rport ? ";rport" : ""}`;
    const message: SipRequest = { ...request, headers: [["via", via], ...request.headers.filter(([n]) => n !== "via")] };
    const bytes = serializeMessage(message);
    const startedAt = Date.now();

    return new Promise<TransactionResult>((resolve) => {
      let interval = timers.t1;
      let retransmit: NodeJS.Timeout | undefined;
      const scheduleRetransmit = () => {
        retransmit = setTimeout(() => {
          this.send(bytes, target);
          interval = Math.min(interval * 2, timers.t2);
          scheduleRetransmit();
        }, interval);
      };
      const timerF = setTimeout(() => finish({ kind: "timeout" }), 64 * timers.t1);
      const finish = (result: TransactionResult) => {
        clearTimeout(retransmit);
        clearTimeout(timerF);
        this.pending.delete(branch);
        resolve(result);
      };
      this.pending.set(branch, {
        method: request.method,
        finish: (result) => finish(result.kind === "response" ? { ...result, rttMs: Date.now() - startedAt } : result),
        onProvisional: () => {
          interval = timers.t2;
        },
      });
      if (!this.socket) return finish({ kind: "closed" });
      this.send(bytes, target);
      scheduleRetransmit();
    });
  }

  private send(bytes: Buffer, target: Target): void {
    if (!this.socket || this.options.drop?.(target)) return;
    this.socket.send(bytes, target.port, target.host);
  }

  private receive(data: Buffer, from: Target): void {
    if (this.options.drop?.(from)) return;
    let message;
    try {
      message = parseMessage(data);
    } catch {
      return; // Garbage on the wire is ignored, as a phone would.
    }
    if (message.kind === "response") {
      const via = header(message, "via");
      let branch: string | undefined;
      try {
        branch = via ? parseVia(via).params.branch : undefined;
      } catch {
        return;
      }
      const tx = branch ? this.pending.get(branch) : undefined;
      if (!tx || parseCSeq(message)?.method !== tx.method) return;
      if (message.status < 200) tx.onProvisional();
      else tx.finish({ kind: "response", response: message, rttMs: 0 });
      return;
    }
    if (message.method === "ACK") return;
    let response: SipResponse | null;
    try {
      response = this.options.onRequest ? this.options.onRequest(message, from) : makeResponse(message, 501, "Not Implemented");
    } catch {
      response = makeResponse(message, 500, "Server Internal Error");
    }
    if (response) this.send(serializeMessage(response), from);
  }
}
