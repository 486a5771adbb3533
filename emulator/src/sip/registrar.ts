import { DigestGuard } from "./digest-guard";
import { SipEndpoint, type Target } from "./endpoint";
import { type SipRequest, type SipResponse, header, headerValues, makeResponse, parseNameAddr, parseVia, randomToken } from "./message";

// A small demo registrar (stand-in for Kamailio in `npm run demo`): answers OPTIONS with 200, accepts
// REGISTER with an optional MD5 digest challenge (qop=auth) and keeps bindings in memory with expiry.
// It can be stopped and started again (bindings survive a restart, like a registrar with a database).

export interface DemoRegistrarOptions {
  host: string;
  port: number;
  /** Digest realm; defaults to the host. */
  realm?: string;
  /** One password for every user (enables digest auth). */
  password?: string;
  /** Per-user passwords (enables digest auth; takes precedence over `password`). */
  passwords?: Record<string, string>;
  /** Longest expiry granted, s (default 3600). */
  maxExpires?: number;
}

export interface Binding {
  user: string;
  contact: string;
  /** ip:port the REGISTER came from. */
  source: string;
  expiresAt: number;
  callId: string;
}

export class DemoRegistrar {
  private endpoint: SipEndpoint | null = null;
  private readonly table = new Map<string, Binding[]>();
  private readonly guard: DigestGuard;

  constructor(private readonly options: DemoRegistrarOptions) {
    this.guard = new DigestGuard(() => options.realm ?? options.host);
  }

  get address(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  get running(): boolean {
    return this.endpoint !== null;
  }

  async start(): Promise<void> {
    if (this.endpoint) return;
    const endpoint = new SipEndpoint({
      address: this.options.host,
      port: this.options.port,
      onRequest: (request, from) => this.answer(request, from),
    });
    await endpoint.start();
    this.endpoint = endpoint;
  }

  async stop(): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = null;
    await endpoint?.stop();
  }

  /** Live bindings (expired ones are dropped). */
  bindings(now = Date.now()): Binding[] {
    for (const [user, list] of this.table) {
      const live = list.filter((b) => b.expiresAt > now);
      if (live.length) this.table.set(user, live);
      else this.table.delete(user);
    }
    return [...this.table.values()].flat().map((b) => ({ ...b }));
  }

  private answer(request: SipRequest, from: Target): SipResponse {
    const reply = (status: number, reason: string, extra: Array<[string, string]> = []) => {
      const response = makeResponse(request, status, reason, [...extra, ["server", "sip-emulator demo registrar"]], randomToken(4));
      stampVia(response, from);
      return response;
    };
    if (request.method === "OPTIONS") return reply(200, "OK", [["allow", "OPTIONS, REGISTER"]]);
    if (request.method !== "REGISTER") return reply(501, "Not Implemented");

    const to = header(request, "to");
    const user = to ? /^sips?:([^@;>]+)@/i.exec(parseNameAddr(to).uri)?.[1] : undefined;
    if (!user) return reply(400, "Bad Request (no user in To)");
    const challenge = this.authenticate(request, user);
    if (challenge) return reply(401, "Unauthorized", [["www-authenticate", challenge]]);

    const now = Date.now();
    const callId = header(request, "call-id") ?? "";
    const defaultExpires = Number(header(request, "expires") ?? 3600);
    const max = this.options.maxExpires ?? 3600;
    let list = (this.table.get(user) ?? []).filter((b) => b.expiresAt > now);
    for (const value of headerValues(request, "contact")) {
      if (value.trim() === "*") {
        list = [];
        continue;
      }
      const { uri, params } = parseNameAddr(value);
      const asked = params.expires !== undefined ? Number(params.expires) : defaultExpires;
      const expires = Math.min(Number.isFinite(asked) ? asked : 3600, max);
      list = list.filter((b) => b.contact !== uri);
      if (expires > 0) list.push({ user, contact: uri, source: `${from.host}:${from.port}`, expiresAt: now + expires * 1000, callId });
    }
    if (list.length) this.table.set(user, list);
    else this.table.delete(user);
    const contacts = list.map((b): [string, string] => ["contact", `<${b.contact}>;expires=${Math.round((b.expiresAt - now) / 1000)}`]);
    return reply(200, "OK", contacts);
  }

  /** Returns a challenge to send, or null when the request is authorised (or auth is off). */
  private authenticate(request: SipRequest, user: string): string | null {
    const { passwords, password } = this.options;
    if (!passwords && password === undefined) return null;
    return this.guard.check({ authorization: header(request, "authorization"), method: request.method }, user, passwords ? passwords[user] : password);
  }
}

/** RFC 3261 §18.2.1 / RFC 3581: record where the request really came from in the top Via. */
function stampVia(response: SipResponse, from: Target): void {
  const index = response.headers.findIndex(([name]) => name === "via");
  if (index < 0) return;
  const [top, ...rest] = headerValues({ ...response, headers: [response.headers[index]] }, "via");
  let via;
  try {
    via = parseVia(top);
  } catch {
    return;
  }
  let stamped = top.replace(/;\s*rport(?=;|$)/i, `;rport=${from.port}`);
  if (via.host !== from.host && !/;\s*received=/i.test(stamped)) stamped += `;received=${from.host}`;
  response.headers[index] = ["via", [stamped, ...rest].join(", ")];
}

export function createDemoRegistrar(options: DemoRegistrarOptions): DemoRegistrar {
  return new DemoRegistrar(options);
}
