// Turning one HTTP answer into a value or a classified DeviceError. Pure (no network) so it is unit-testable.
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { DeviceError } from "./errors";
import { conflictReplySchema, errorReplySchema, rejectedReplySchema } from "./replies";

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** What the reply answered, for messages: "GET /api/v1/config". */
export interface ReplyContext {
  address: string;
  operation: string;
}

export function header(reply: RawReply, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function malformed(ctx: ReplyContext, status: number, what: string): DeviceError {
  return new DeviceError(
    "malformed_reply",
    ctx.address,
    `Device ${ctx.address} sent an unexpected reply to ${ctx.operation}: ${what}`,
    { status },
  );
}

/** A 2xx JSON body validated against `schema`. */
export function parseReply<S extends z.ZodType>(ctx: ReplyContext, reply: RawReply, schema: S): z.infer<S> {
  const json = parseJsonText(reply.text);
  if (!json.ok) throw malformed(ctx, reply.status, `not JSON (${describeText(reply.text)})`);
  const result = schema.safeParse(json.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    throw malformed(ctx, reply.status, `${where}: ${issue.message}`);
  }
  return result.data;
}

/** `"12"` / `W/"12"` → 12. */
export function revisionFromEtag(etag: string | undefined): number | undefined {
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(etag ?? "");
  return match ? Number(match[1]) : undefined;
}

/** Any non-success answer → its DeviceError. */
export function failureFor(ctx: ReplyContext, reply: RawReply): DeviceError {
  const { address, operation } = ctx;
  const status = reply.status;
  const json = parseJsonText(reply.text);
  const body = json.ok ? json.value : undefined;
  const said = errorReplySchema.safeParse(body);
  const detail = said.success ? `: ${said.data.error}` : "";

  if (status === 401 || status === 403)
    return new DeviceError(
      "unauthorized",
      address,
      `Device ${address} refused the portal's credentials (HTTP ${status}); check the device's API username and password`,
      { status },
    );
  if (status === 412) {
    const stated = conflictReplySchema.safeParse(body);
    const revision = stated.success ? stated.data.revision : revisionFromEtag(header(reply, "etag"));
    const now = revision === undefined ? "" : ` (it is now at revision ${revision})`;
    return new DeviceError(
      "conflict",
      address,
      `The configuration on device ${address} changed in the meantime${now}; reload it and try again`,
      { status, revision },
    );
  }
  if (status === 422) {
    const rejected = rejectedReplySchema.safeParse(body);
    if (!rejected.success) return malformed(ctx, status, "HTTP 422 without an {errors: {key: message}} map");
    return rejectedError(address, rejected.data.errors, status);
  }
  return new DeviceError("device_error", address, `Device ${address} answered HTTP ${status} to ${operation}${detail}`, {
    status,
  });
}

/** The device refused values and changed nothing: one message listing them, the fields per key. */
export function rejectedError(address: string, fields: Record<string, string>, status: number): DeviceError {
  const list = Object.entries(fields).map(([key, message]) => `${key}: ${message}`);
  return new DeviceError(
    "rejected",
    address,
    `Device ${address} rejected ${list.length === 1 ? "a value" : `${list.length} values`} and changed nothing — ${list.join("; ") || "no reason given"}`,
    { status, fields },
  );
}

function describeText(text: string): string {
  if (text.length === 0) return "empty body";
  const shown = text.slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
  return `starts with "${shown}"`;
}
