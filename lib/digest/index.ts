// HTTP/SIP Digest authentication (RFC 7616, RFC 2617, RFC 3261 §22): MD5 and SHA-256, with or without
// qop=auth, and the -sess variants. One implementation for every side of the portal: the SIP client answering a
// phone's 401/407 (lib/sip), the web driver answering a phone's HTTP challenge (lib/device), and the provisioning
// server challenging phones (lib/provisioning). Pure (node:crypto only).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  /** qop options offered; empty = RFC 2069 compatibility mode. */
  qop: string[];
  stale: boolean;
}

export interface DigestAuthorization {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: string;
  cnonce?: string;
  nc?: string;
  qop?: string;
  opaque?: string;
}

/** `a=b, c="d, e"` → {a: "b", c: "d, e"}: commas inside quotes do not split. Keys lower-cased. */
function parseAuthParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*,?/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m[0] !== "") {
    out[m[1].toLowerCase()] = m[3] !== undefined ? m[3].replace(/\\(.)/g, "$1") : m[2];
  }
  return out;
}

function digestParams(header: string | null | undefined): Record<string, string> | null {
  const m = header ? /^\s*Digest\s+(.*)$/is.exec(header) : null;
  return m ? parseAuthParams(m[1]) : null;
}

/** A `WWW-Authenticate`/`Proxy-Authenticate` value; null when it is not a usable Digest challenge. */
export function parseChallenge(header: string | null | undefined): DigestChallenge | null {
  const p = digestParams(header);
  if (!p || p.realm === undefined || !p.nonce) return null;
  const algorithm = p.algorithm ?? "MD5";
  if (!isSupportedAlgorithm(algorithm)) return null;
  return {
    realm: p.realm,
    nonce: p.nonce,
    ...(p.opaque !== undefined ? { opaque: p.opaque } : {}),
    algorithm,
    qop: p.qop ? p.qop.split(",").map((q) => q.trim().toLowerCase()).filter(Boolean) : [],
    stale: (p.stale ?? "").toLowerCase() === "true",
  };
}

/** An `Authorization: Digest …` value; null when malformed. */
export function parseAuthorization(header: string | null | undefined): DigestAuthorization | null {
  const p = digestParams(header);
  if (!p || !p.username || p.realm === undefined || !p.nonce || !p.uri || !p.response) return null;
  return {
    username: p.username,
    realm: p.realm,
    nonce: p.nonce,
    uri: p.uri,
    response: p.response.toLowerCase(),
    algorithm: p.algorithm ?? "MD5",
    ...(p.cnonce !== undefined ? { cnonce: p.cnonce } : {}),
    ...(p.nc !== undefined ? { nc: p.nc } : {}),
    ...(p.qop !== undefined ? { qop: p.qop } : {}),
    ...(p.opaque !== undefined ? { opaque: p.opaque } : {}),
  };
}

export function isSupportedAlgorithm(algorithm: string): boolean {
  return /^(MD5|SHA-256)(-sess)?$/i.test(algorithm);
}

function hasher(algorithm: string): (text: string) => string {
  const name = /^SHA-256/i.test(algorithm) ? "sha256" : "md5";
  return (text) => createHash(name).update(text, "utf8").digest("hex");
}

/** The `response` value (RFC 7616 §3.4.1). */
export function digestResponse(input: {
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
  const h = hasher(input.algorithm);
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (/-sess$/i.test(input.algorithm)) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce ?? ""}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  return input.qop ? h(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`) : h(`${ha1}:${input.nonce}:${ha2}`);
}

const quoted = (v: string) => `"${v.replace(/(["\\])/g, "\\$1")}"`;

/** Client side: the Authorization/Proxy-Authorization value answering `challenge`. `nc` counts uses of the nonce. */
export function authorizationFor(
  challenge: DigestChallenge,
  request: { username: string; password: string; method: string; uri: string; nc?: number },
): string {
  const qop = challenge.qop.includes("auth") ? "auth" : undefined;
  const nc = qop ? (request.nc ?? 1).toString(16).padStart(8, "0") : undefined;
  const cnonce = qop ? randomBytes(8).toString("hex") : undefined;
  const response = digestResponse({ ...request, algorithm: challenge.algorithm, realm: challenge.realm, nonce: challenge.nonce, qop, nc, cnonce });
  const parts = [
    `username=${quoted(request.username)}`,
    `realm=${quoted(challenge.realm)}`,
    `nonce=${quoted(challenge.nonce)}`,
    `uri=${quoted(request.uri)}`,
    `response=${quoted(response)}`,
    `algorithm=${challenge.algorithm}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce!)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quoted(challenge.opaque)}`);
  return `Digest ${parts.join(", ")}`;
}

/** Server side: the `WWW-Authenticate` value of a fresh challenge. */
export function challengeHeader(challenge: { realm: string; nonce: string; opaque?: string; stale?: boolean; algorithm?: string }): string {
  const parts = [`realm=${quoted(challenge.realm)}`, `nonce=${quoted(challenge.nonce)}`, `qop="auth"`, `algorithm=${challenge.algorithm ?? "MD5"}`];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quoted(challenge.opaque)}`);
  if (challenge.stale) parts.push("stale=true");
  return `Digest ${parts.join(", ")}`;
}

/** Server side: does the response prove knowledge of `password`? (Nonce freshness is the caller's decision.) */
export function verifyAuthorization(auth: DigestAuthorization, method: string, password: string): boolean {
  if (!isSupportedAlgorithm(auth.algorithm)) return false;
  const expected = digestResponse({ ...auth, method, password });
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.response);
  return a.length === b.length && timingSafeEqual(a, b);
}
