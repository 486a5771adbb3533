import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { buildAuthorization, isSupportedAlgorithm, parseChallenge } from "./digest";
import { type SipEndpoint, type SipTimers, type Target } from "./endpoint";
import { type SipRequest, type SipResponse, header, headerValues, parseNameAddr, randomToken } from "./message";

// REGISTER and OPTIONS procedures of the phone's user agent, on top of SipEndpoint's transactions.

export interface Identity {
  user: string;
  authName: string;
  password: string;
  displayName: string;
}

export type RegisterOutcome =
  | { outcome: "ok"; expiresS: number; rttMs: number }
  | { outcome: "timeout" }
  | { outcome: "error"; message: string; rttMs?: number };

export type OptionsOutcome = { outcome: "ok"; rttMs: number } | { outcome: "timeout" };

const USER_AGENT = "Phoenix Audio MT505 (SIP emulator)";
/** Challenges answered per REGISTER before giving up (a fresh nonce after a stale one is normal). */
const MAX_AUTH_ROUNDS = 3;

export function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  const port = colon < 0 ? 5060 : Number(address.slice(colon + 1));
  return { host: colon < 0 ? address : address.slice(0, colon), port: Number.isFinite(port) ? port : 5060 };
}

export class UserAgent {
  private readonly resolved = new Map<string, string>();
  /** One Call-ID and CSeq sequence per registrar, as RFC 3261 §10.2 recommends. */
  private readonly registrations = new Map<string, { callId: string; cseq: number }>();

  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly timers: () => SipTimers,
  ) {}

  /** IP literals are used as is; a host name is resolved once (dns.lookup) and cached. */
  async resolve(address: string): Promise<Target> {
    const { host, port } = splitHostPort(address);
    if (isIP(host)) return { host, port };
    let ip = this.resolved.get(host);
    if (!ip) {
      try {
        ip = (await lookup(host, { family: 4 })).address;
      } catch (err) {
        throw new Error(`Cannot resolve proxy host ${host}: ${(err as Error).message}`);
      }
      this.resolved.set(host, ip);
    }
    return { host: ip, port };
  }

  /** Resolved IP of an address if already known (used by partition checks, which must be synchronous). */
  resolvedHost(address: string): string {
    const { host } = splitHostPort(address);
    return isIP(host) ? host : (this.resolved.get(host) ?? host);
  }

  async register(address: string, expiresS: number, identity: Identity): Promise<RegisterOutcome> {
    let target: Target;
    try {
      target = await this.resolve(address);
    } catch (err) {
      return { outcome: "error", message: (err as Error).message };
    }
    const { host, port } = splitHostPort(address);
    const domainUri = port === 5060 ? `sip:${host}` : `sip:${host}:${port}`;
    const aor = `sip:${identity.user}@${host}`;
    const contactUri = `sip:${identity.user}@${this.endpoint.address}:${this.endpoint.port}`;
    let reg = this.registrations.get(address);
    if (!reg) {
      reg = { callId: `${randomToken(10)}@${this.endpoint.address}`, cseq: 0 };
      this.registrations.set(address, reg);
    }
    const display = identity.displayName ? `"${identity.displayName.replace(/"/g, "")}" ` : "";
    const fromTag = randomToken(6);
    let authorization: [string, string] | null = null;
    let nc = 0;
    let lastNonce = "";

    for (let round = 0; round <= MAX_AUTH_ROUNDS; round++) {
      reg.cseq += 1;
      const request: SipRequest = {
        kind: "request",
        method: "REGISTER",
        uri: domainUri,
        headers: [
          ["max-forwards", "70"],
          ["from", `${display}<${aor}>;tag=${fromTag}`],
          ["to", `${display}<${aor}>`],
          ["call-id", reg.callId],
          ["cseq", `${reg.cseq} REGISTER`],
          ["contact", `<${contactUri}>`],
          ["expires", String(expiresS)],
          ["user-agent", USER_AGENT],
          ...(authorization ? [authorization] : []),
        ],
        body: "",
      };
      const result = await this.endpoint.request(target, request, this.timers());
      if (result.kind !== "response") return { outcome: "timeout" };
      const { response, rttMs } = result;
      if (response.status >= 200 && response.status < 300) {
        return { outcome: "ok", expiresS: grantedExpiry(response, contactUri, expiresS), rttMs };
      }
      if (response.status !== 401 && response.status !== 407) {
        return { outcome: "error", message: `${response.status} ${response.reason}`.trim(), rttMs };
      }
      const challengeHeader = header(response, response.status === 401 ? "www-authenticate" : "proxy-authenticate");
      const challenge = challengeHeader ? parseChallenge(challengeHeader) : null;
      if (!challenge) return { outcome: "error", message: `${response.status} without a usable Digest challenge`, rttMs };
      if (!isSupportedAlgorithm(challenge.algorithm)) {
        return { outcome: "error", message: `${response.status}: unsupported digest algorithm ${challenge.algorithm}`, rttMs };
      }
      // Challenged again after answering, without stale=true: the credentials are wrong.
      if (authorization && !challenge.stale) {
        return { outcome: "error", message: `authentication failed (${response.status} ${response.reason}) for user ${identity.authName}`, rttMs };
      }
      nc = challenge.nonce === lastNonce ? nc + 1 : 1;
      lastNonce = challenge.nonce;
      const value = buildAuthorization(challenge, {
        username: identity.authName,
        password: identity.password,
        method: "REGISTER",
        uri: domainUri,
        nc,
      });
      authorization = [response.status === 401 ? "authorization" : "proxy-authorization", value];
    }
    return { outcome: "error", message: "authentication failed (too many challenges)" };
  }

  async options(address: string, identity: Identity): Promise<OptionsOutcome> {
    let target: Target;
    try {
      target = await this.resolve(address);
    } catch {
      return { outcome: "timeout" };
    }
    const { host, port } = splitHostPort(address);
    const request: SipRequest = {
      kind: "request",
      method: "OPTIONS",
      uri: port === 5060 ? `sip:${host}` : `sip:${host}:${port}`,
      headers: [
        ["max-forwards", "70"],
        ["from", `<sip:${identity.user}@${host}>;tag=${randomToken(6)}`],
        ["to", `<sip:${host}>`],
        ["call-id", `${randomToken(10)}@${this.endpoint.address}`],
        ["cseq", "1 OPTIONS"],
        ["contact", `<sip:${identity.user}@${this.endpoint.address}:${this.endpoint.port}>`],
        ["accept", "application/sdp"],
        ["user-agent", USER_AGENT],
      ],
      body: "",
    };
    const result = await this.endpoint.request(target, request, this.timers());
    // Any final response proves the proxy is alive, even an error.
    return result.kind === "response" ? { outcome: "ok", rttMs: result.rttMs } : { outcome: "timeout" };
  }
}

/** Expiry the registrar granted: our Contact's expires param, else the Expires header, else what we asked. */
function grantedExpiry(response: SipResponse, contactUri: string, requested: number): number {
  for (const value of headerValues(response, "contact")) {
    const { uri, params } = parseNameAddr(value);
    if (uri.toLowerCase() === contactUri.toLowerCase() && params.expires !== undefined) {
      const n = Number(params.expires);
      if (Number.isFinite(n)) return n;
    }
  }
  const expires = Number(header(response, "expires"));
  return Number.isFinite(expires) && header(response, "expires") !== undefined ? expires : requested;
}
