// What the AudioCodes-family web interface answers, turned into the portal's shapes. Pure (no network), so it is
// unit-tested on its own. The formats are the emulated ones (emulator/API.md "Web interface"), modelled on what
// public sources show for the family: a `key=value` configuration file, the registration status as flat XML from
// /voip_status.cgi, and HTML pages. They are small and fixed, so they are read with anchored patterns rather than a
// general HTML/XML parser; anything that does not match is a malformed reply, never a guess.
import { DeviceError } from "./errors";
import { deviceInfoSchema, deviceStatusSchema, type DeviceInfo, type DeviceStatus } from "./replies";
import type { ReplyContext } from "./reply";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** `&amp;` `&#39;` `&#x27;` → characters. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function malformed(ctx: ReplyContext, status: number, what: string): DeviceError {
  return new DeviceError("malformed_reply", ctx.address, `Device ${ctx.address} sent an unexpected reply to ${ctx.operation}: ${what}`, { status });
}

/**
 * The phone's configuration file → its own keys and values, as text (the model profile types them). Blank lines and
 * `#`/`;` comments are skipped; a line without `key=`, a duplicate key or a NUL makes the whole file malformed.
 */
export function parseModelFile(ctx: ReplyContext, status: number, text: string): Record<string, string> {
  if (text.includes("\u0000")) throw malformed(ctx, status, "the configuration file contains a NUL byte");
  const values: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw malformed(ctx, status, `line ${i + 1} of the configuration file is not key=value`);
    const key = line.slice(0, eq).trim();
    if (key in values) throw malformed(ctx, status, `the configuration file repeats ${key} (line ${i + 1})`);
    values[key] = line.slice(eq + 1).trim();
  }
  return values;
}

/** A value that would break a `key=value` line (a line break or control character) cannot be uploaded. */
// eslint-disable-next-line no-control-regex
export const UNSAFE_FILE_TEXT = /[\u0000-\u001f\u007f]/;

/** Own keys and values → the file to upload: sorted `key=value` lines. The caller checked UNSAFE_FILE_TEXT. */
export function renderModelFile(values: Record<string, string | number>): string {
  return Object.keys(values)
    .sort()
    .map((key) => `${key}=${values[key]}`)
    .join("\n")
    .concat("\n");
}

/** `<p id="result" data-status="applied">` → "applied"; absent → null. */
export function resultStatus(html: string): string | null {
  return /<p\s+id="result"\s+data-status="([a-z_]+)"/i.exec(html)?.[1] ?? null;
}

/** `<li data-field="KEY">KEY: message</li>` items of a rejected form or upload → {KEY: message}. */
export function rejectedFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<li\s+data-field="([^"]*)">([^<]*)<\/li>/gi)) {
    const field = decodeEntities(m[1]);
    const text = decodeEntities(m[2]);
    fields[field] = text.startsWith(`${field}: `) ? text.slice(field.length + 2) : text;
  }
  return fields;
}

const SIP_STATES: Record<string, DeviceStatus["state"]> = {
  registered: "registered",
  registering: "registering",
  unregistered: "unregistered",
  failed: "failed",
};

/** `/voip_status.cgi` (line 0) → the device status shape. It carries no keep-alive data and no config revision. */
export function parseVoipStatus(ctx: ReplyContext, status: number, xml: string): DeviceStatus {
  const line = /<Line>([\s\S]*?)<\/Line>/.exec(xml)?.[1];
  if (line === undefined || !/<VoipStatus>/.test(xml)) throw malformed(ctx, status, "no <VoipStatus><Line> element");
  const el = (name: string): string | null => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>|<${name}\\s*/>`).exec(line);
    if (!m) return null;
    const text = decodeEntities(m[1] ?? "").trim();
    return text === "" ? null : text;
  };
  const sip = el("SipStatus");
  const state = sip === null ? undefined : SIP_STATES[sip.toLowerCase()];
  if (state === undefined) throw malformed(ctx, status, `SipStatus ${JSON.stringify(sip)} is not Registered, Registering, Unregistered or Failed`);
  const proxy = el("Proxy");
  const noHealth = { address: null, reachable: null, lastOkAt: null, lastFailAt: null, rttMs: null };
  const parsed = deviceStatusSchema.safeParse({
    state,
    proxy: proxy === null ? null : proxy.toLowerCase(),
    registrar: el("Registrar"),
    since: el("Since"),
    registeredAt: el("RegisteredAt"),
    expiresAt: el("ExpiresAt"),
    lastError: el("LastError"),
    keepAlive: { primary: noHealth, redundant: noHealth },
    transitions: [],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(ctx, status, `${issue.path.map(String).join(".") || "status"}: ${issue.message}`);
  }
  return parsed.data;
}

/** `info.htm`: `<tr id="ID"><th>label</th><td>value</td></tr>` rows → the device info shape. */
export function parseInfoPage(ctx: ReplyContext, status: number, html: string): DeviceInfo {
  const rows: Record<string, string> = {};
  for (const m of html.matchAll(/<tr\s+id="([^"]+)">\s*<th>[^<]*<\/th>\s*<td>([^<]*)<\/td>\s*<\/tr>/gi)) rows[m[1]] = decodeEntities(m[2]).trim();
  const parsed = deviceInfoSchema.safeParse({
    model: rows.model,
    firmware: rows.firmware,
    serial: rows.serial,
    mac: rows.mac,
    uptimeS: /^\d+$/.test(rows.uptime ?? "") ? Number(rows.uptime) : undefined,
  });
  if (!parsed.success) throw malformed(ctx, status, `the information page lacks ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  return parsed.data;
}
