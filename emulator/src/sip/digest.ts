import { createHash, randomBytes } from "node:crypto";
import { splitTopLevel, unquote } from "./message";

// HTTP Digest for SIP (RFC 2617 / RFC 7616 / RFC 3261 §22): MD5 and SHA-256, with and without qop=auth,
// plus the "-sess" variants. Used by the phone (client side) and the demo registrar (server side).

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  /** qop options offered by the server; empty = legacy RFC 2069 mode. */
  qop: string[];
  stale: boolean;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  cnonce?: string;
  nc?: string;
  qop?: string;
  opaque?: string;
}

/** Parses `Digest realm="x", nonce="y", …` into a key→value map (keys lower-case). */
function parseDigestParams(value: string): Record<string, string> | null {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const part of splitTopLevel(match[1])) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = unquote(part.slice(eq + 1).trim());
  }
  return params;
}

export function parseChallenge(value: string): DigestChallenge | null {
  const p = parseDigestParams(value);
  if (!p || p.realm === undefined || p.nonce === undefined) return null;
  return {
    realm: p.realm,
    nonce: p.nonce,
    opaque: p.opaque,
    algorithm: p.algorithm ?? "MD5",
    qop: p.qop ? p.qop.split(",").map((q) => q.trim().toLowerCase()).filter(Boolean) : [],
    stale: (p.stale ?? "").toLowerCase() === "true",
  };
}

export function parseCredentials(value: string): DigestCredentials | null {
  const p = parseDigestParams(value);
  if (!p || !p.username || p.realm === undefined || !p.nonce || !p.uri || !p.response) return null;
  return {
    username: p.username,
    realm: p.realm,
    nonce: p.nonce,
    uri: p.uri,
    response: p.response,
    algorithm: p.algorithm,
    cnonce: p.cnonce,
    nc: p.nc,
    qop: p.qop,
    opaque: p.opaque,
  };
}

function hashFor(algorithm: string): (text: string) => string {
  const base = algorithm.toUpperCase().replace(/-SESS$/, "");
  const name = base === "MD5" ? "md5" : base === "SHA-256" ? "sha256" : null;
  if (!name) throw new Error(`Unsupported digest algorithm ${algorithm} (supported: MD5, SHA-256 and their -sess variants)`);
  return (text) => createHash(name).update(text, "utf8").digest("hex");
}

export function isSupportedAlgorithm(algorithm: string): boolean {
  return /^(MD5|SHA-256)(-sess)?$/i.test(algorithm);
}

/** The digest `response` value for the given inputs (RFC 2617 §3.2.2.1). */
export function computeResponse(input: {
  algorithm: string;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}): string {
  const h = hashFor(input.algorithm);
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (/-sess$/i.test(input.algorithm)) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce ?? ""}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  return input.qop
    ? h(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
    : h(`${ha1}:${input.nonce}:${ha2}`);
}

/** Builds the Authorization/Proxy-Authorization value answering a challenge. `nc` counts uses of this nonce. */
export function buildAuthorization(
  challenge: DigestChallenge,
  opts: { username: string; password: string; method: string; uri: string; nc: number },
): string {
  const qop = challenge.qop.includes("auth") ? "auth" : undefined;
  const nc = qop ? opts.nc.toString(16).padStart(8, "0") : undefined;
  const cnonce = qop ? randomBytes(8).toString("hex") : undefined;
  const response = computeResponse({
    algorithm: challenge.algorithm,
    username: opts.username,
    realm: challenge.realm,
    password: opts.password,
    method: opts.method,
    uri: opts.uri,
    nonce: challenge.nonce,
    qop,
    nc,
    cnonce,
  });
  const parts = [
    `username="${opts.username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${opts.uri}"`,
    `response="${response}"`,
    `algorithm=${challenge.algorithm}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  return `Digest ${parts.join(", ")}`;
}

/** Server side: does the credential match the password? (nonce freshness is the caller's job) */
export function verifyCredentials(creds: DigestCredentials, method: string, password: string): boolean {
  const expected = computeResponse({
    algorithm: creds.algorithm ?? "MD5",
    username: creds.username,
    realm: creds.realm,
    password,
    method,
    uri: creds.uri,
    nonce: creds.nonce,
    qop: creds.qop,
    nc: creds.nc,
    cnonce: creds.cnonce,
  });
  return expected === creds.response.toLowerCase();
}
