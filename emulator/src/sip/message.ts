import { randomBytes } from "node:crypto";

// SIP message parsing and serialisation (RFC 3261 §7), enough for REGISTER/OPTIONS and their responses.
// Headers are kept as an ordered list of [canonical lower-case name, raw value]; compact forms are expanded
// on parse so callers only ever ask for the long names.

export type SipHeaders = Array<[name: string, value: string]>;

export interface SipRequest {
  kind: "request";
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  kind: "response";
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const COMPACT: Record<string, string> = {
  i: "call-id",
  m: "contact",
  f: "from",
  t: "to",
  v: "via",
  l: "content-length",
  c: "content-type",
  e: "content-encoding",
  k: "supported",
  s: "subject",
  o: "event",
  u: "allow-events",
};

// How names are written on the wire (anything else is title-cased).
const CANONICAL: Record<string, string> = {
  "call-id": "Call-ID",
  cseq: "CSeq",
  "www-authenticate": "WWW-Authenticate",
  "max-forwards": "Max-Forwards",
};

// Headers whose values may be comma-separated lists (RFC 3261 §7.3.1); auth headers are not.
const LIST_HEADERS = new Set(["via", "contact", "allow", "supported", "require", "route", "record-route"]);

export class SipParseError extends Error {}

export function parseMessage(data: Buffer | string): SipMessage {
  const text = typeof data === "string" ? data : data.toString("utf8");
  const headerEnd = findHeaderEnd(text);
  if (headerEnd.index < 0) throw new SipParseError("SIP message has no blank line after its headers");
  const head = text.slice(0, headerEnd.index);
  // Unfold continuation lines (a line starting with white space continues the previous header).
  const lines = head.split(/\r?\n/).reduce<string[]>((acc, line) => {
    if (/^[ \t]/.test(line) && acc.length > 0) acc[acc.length - 1] += " " + line.trim();
    else acc.push(line);
    return acc;
  }, []);
  const startLine = lines.shift() ?? "";
  const headers: SipHeaders = [];
  for (const line of lines) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new SipParseError(`Malformed SIP header line: ${JSON.stringify(line)}`);
    const rawName = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[rawName] ?? rawName, line.slice(colon + 1).trim()]);
  }
  let body = text.slice(headerEnd.index + headerEnd.length);
  const lengthHeader = headers.find(([n]) => n === "content-length");
  if (lengthHeader) {
    const length = Number.parseInt(lengthHeader[1], 10);
    if (Number.isFinite(length)) body = Buffer.from(body, "utf8").subarray(0, length).toString("utf8");
  }

  const response = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(startLine);
  if (response) {
    return { kind: "response", status: Number(response[1]), reason: response[2], headers, body };
  }
  const request = /^([A-Za-z]+)\s+(\S+)\s+SIP\/2\.0$/i.exec(startLine);
  if (request) return { kind: "request", method: request[1].toUpperCase(), uri: request[2], headers, body };
  throw new SipParseError(`Not a SIP start line: ${JSON.stringify(startLine)}`);
}

function findHeaderEnd(text: string): { index: number; length: number } {
  const crlf = text.indexOf("\r\n\r\n");
  const lf = text.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

export function serializeMessage(message: SipMessage): Buffer {
  const start =
    message.kind === "request"
      ? `${message.method} ${message.uri} SIP/2.0`
      : `SIP/2.0 ${message.status} ${message.reason}`;
  const body = Buffer.from(message.body, "utf8");
  const lines = [start];
  for (const [name, value] of message.headers) {
    if (name === "content-length") continue;
    lines.push(`${canonicalName(name)}: ${value}`);
  }
  lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "utf8"), body]);
}

function canonicalName(name: string): string {
  return CANONICAL[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** First value of a header (for list headers: the first list element). */
export function header(message: SipMessage, name: string): string | undefined {
  return headerValues(message, name)[0];
}

/** All values of a header, list headers split on top-level commas. */
export function headerValues(message: SipMessage, name: string): string[] {
  const key = name.toLowerCase();
  const values = message.headers.filter(([n]) => n === key).map(([, v]) => v);
  return LIST_HEADERS.has(key) ? values.flatMap((v) => splitTopLevel(v)) : values;
}

/** Splits on commas that are outside quotes and angle brackets. */
export function splitTopLevel(value: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== "\\") quoted = !quoted;
    else if (!quoted && ch === "<") depth++;
    else if (!quoted && ch === ">") depth--;
    if (ch === separator && !quoted && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** Parses `;a=b;c` style parameters (keys lower-cased, quotes removed). */
export function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of splitTopLevel(text, ";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : unquote(part.slice(eq + 1).trim());
    params[key] = value;
  }
  return params;
}

export function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, "$1")
    : value;
}

/** A name-addr or addr-spec (`"Bob" <sip:1001@h>;tag=x` or `sip:1001@h;expires=60`) split into URI and params. */
export function parseNameAddr(value: string): { uri: string; params: Record<string, string> } {
  const open = value.indexOf("<");
  if (open >= 0) {
    const close = value.indexOf(">", open);
    return { uri: value.slice(open + 1, close), params: parseParams(value.slice(close + 1)) };
  }
  const semi = value.indexOf(";");
  return semi < 0
    ? { uri: value.trim(), params: {} }
    : { uri: value.slice(0, semi).trim(), params: parseParams(value.slice(semi)) };
}

/** Parses the top Via: `SIP/2.0/UDP host:port;branch=…;rport`. */
export function parseVia(value: string): { transport: string; host: string; port: number | null; params: Record<string, string> } {
  const semi = value.indexOf(";");
  const sentBy = (semi < 0 ? value : value.slice(0, semi)).trim();
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*(\S+)\s+(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/i.exec(sentBy);
  if (!match) throw new SipParseError(`Malformed Via header: ${JSON.stringify(value)}`);
  return {
    transport: match[1].toUpperCase(),
    host: match[2],
    port: match[3] ? Number(match[3]) : null,
    params: semi < 0 ? {} : parseParams(value.slice(semi)),
  };
}

export function parseCSeq(message: SipMessage): { seq: number; method: string } | null {
  const value = header(message, "cseq");
  const match = value ? /^(\d+)\s+([A-Za-z]+)$/.exec(value.trim()) : null;
  return match ? { seq: Number(match[1]), method: match[2].toUpperCase() } : null;
}

/** Builds a response to a request, copying the headers RFC 3261 §8.2.6.2 requires. */
export function makeResponse(
  request: SipRequest,
  status: number,
  reason: string,
  extra: SipHeaders = [],
  toTag?: string,
): SipResponse {
  const headers: SipHeaders = [];
  for (const [name, value] of request.headers) {
    if (name === "via" || name === "from" || name === "call-id" || name === "cseq") headers.push([name, value]);
    else if (name === "to") {
      const tagged = toTag && !/;\s*tag=/i.test(value) ? `${value};tag=${toTag}` : value;
      headers.push([name, tagged]);
    }
  }
  return { kind: "response", status, reason, headers: [...headers, ...extra], body: "" };
}

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString("hex");
}
