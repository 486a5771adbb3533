// The web interface's pages (pure rendering): small, regular HTML with ids and data- attributes a driver can
// read, and the registration status as XML.
import type { SipStatus } from "../sip/phone-contract";

const esc = (text: unknown) =>
  String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body>\n<h1>${esc(title)}</h1>\n${body}\n</body></html>\n`;
}

/** `<table id="info">` with one `<tr id="<key>"><th>label</th><td>value</td></tr>` per row. */
export function infoTable(rows: { id: string; label: string; value: unknown }[]): string {
  const trs = rows.map((r) => `<tr id="${esc(r.id)}"><th>${esc(r.label)}</th><td>${esc(r.value)}</td></tr>`).join("\n");
  return `<table id="info">\n${trs}\n</table>`;
}

export function form(action: string, fields: Record<string, string>, extra = ""): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<label>${esc(name)} <input name="${esc(name)}" value="${esc(value)}"></label><br>`)
    .join("\n");
  return `<form id="form" method="post" action="${esc(action)}">\n${inputs}\n${extra}<input type="submit" value="Submit">\n</form>`;
}

export function result(status: "applied" | "rejected" | "rebooting", message: string): string {
  return `<p id="result" data-status="${status}">${esc(message)}</p>`;
}

/** `<ul id="errors"><li data-field="OPTVAL">must be …</li></ul>` */
export function errorList(errors: Record<string, string>): string {
  const items = Object.entries(errors).map(([field, message]) => `<li data-field="${esc(field)}">${esc(field)}: ${esc(message)}</li>`);
  return `<ul id="errors">\n${items.join("\n")}\n</ul>`;
}

const SIP_STATUS: Record<SipStatus["state"], string> = {
  registered: "Registered",
  registering: "Registering",
  unregistered: "Unregistered",
  failed: "Failed",
};

const iso = (ms: number | null) => (ms === null ? "" : new Date(ms).toISOString());

/** Registration status of line 0 as XML (`/voip_status.cgi`). */
export function voipStatusXml(status: SipStatus, user: string): string {
  const el = (name: string, value: unknown) => `<${name}>${esc(value)}</${name}>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<VoipStatus>",
    "<Line>",
    el("Index", 0),
    el("UserId", user),
    el("SipStatus", SIP_STATUS[status.state]),
    el("Proxy", status.proxy ?? ""),
    el("Registrar", status.registrar ?? ""),
    el("Since", iso(status.since)),
    el("RegisteredAt", iso(status.registeredAt)),
    el("ExpiresAt", iso(status.expiresAt)),
    el("LastError", status.lastError ?? ""),
    "</Line>",
    "</VoipStatus>",
    "",
  ].join("\n");
}
