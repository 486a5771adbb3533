// SIP message text (RFC 3261 §7) for the portal's client side: build a request, parse what comes back.
// Headers are an ordered list of [name, value]; parsed names are lower-cased with compact forms expanded.
import { randomBytes } from "node:crypto";

export type SipHeaderList = Array<[name: string, value: string]>;

export interface SipOutgoingRequest {
  method: string;
  uri: string;
  headers: SipHeaderList;
  body?: string;
}

export interface SipIncoming {
  /** Responses: status code; requests: 0. */
  status: number;
  reason: string;
  /** Requests only. */
  method?: string;
  headers: SipHeaderList;
  body: string;
}

const COMPACT: Record<string, string> = {
  i: "call-id", m: "contact", f: "from", t: "to", v: "via", l: "content-length", c: "content-type", o: "event", k: "supported",
};

export class SipSyntaxError extends Error {}

export function serializeRequest(req: SipOutgoingRequest): Buffer {
  const body = Buffer.from(req.body ?? "", "utf8");
  const lines = [`${req.method} ${req.uri} SIP/2.0`];
  for (const [name, value] of req.headers) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new SipSyntaxError(`SIP header ${name} contains a line break`);
    if (name.toLowerCase() !== "content-length") lines.push(`${name}: ${value}`);
  }
  lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n", "utf8"), body]);
}

export function parseIncoming(data: Buffer): SipIncoming {
  const text = data.toString("utf8");
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) throw new SipSyntaxError("no blank line after the headers");
  const lines = text
    .slice(0, end)
    .split(/\r?\n/)
    .reduce<string[]>((acc, line) => {
      if (/^[ \t]/.test(line) && acc.length) acc[acc.length - 1] += " " + line.trim();
      else acc.push(line);
      return acc;
    }, []);
  const start = lines.shift() ?? "";
  const headers: SipHeaderList = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new SipSyntaxError(`malformed header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
  }
  const body = text.slice(end).replace(/^\r?\n\r?\n/, "");
  const status = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(start);
  if (status) return { status: Number(status[1]), reason: status[2], headers, body };
  const request = /^([A-Za-z]+)\s+\S+\s+SIP\/2\.0$/i.exec(start);
  if (request) return { status: 0, reason: "", method: request[1].toUpperCase(), headers, body };
  throw new SipSyntaxError(`not a SIP start line: ${JSON.stringify(start)}`);
}

/** First value of a header by (long, case-insensitive) name. */
export function headerOf(message: { headers: SipHeaderList }, name: string): string | undefined {
  const key = name.toLowerCase();
  return message.headers.find(([n]) => n.toLowerCase() === key)?.[1];
}

/** The `branch` of the top Via (how a response is matched to its client transaction, RFC 3261 §17.1.3). */
export function topViaBranch(message: { headers: SipHeaderList }): string | undefined {
  const via = headerOf(message, "via");
  return via ? /;\s*branch=([^;,\s]+)/i.exec(via)?.[1] : undefined;
}

export function cseqOf(message: { headers: SipHeaderList }): { seq: number; method: string } | undefined {
  const m = /^(\d+)\s+([A-Za-z]+)$/.exec(headerOf(message, "cseq")?.trim() ?? "");
  return m ? { seq: Number(m[1]), method: m[2].toUpperCase() } : undefined;
}

export const token = (bytes = 8) => randomBytes(bytes).toString("hex");
/** RFC 3261 magic cookie: branch ids start with z9hG4bK. */
export const newBranch = () => `z9hG4bK${token(10)}`;
