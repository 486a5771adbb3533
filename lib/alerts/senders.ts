// How a message leaves the portal: a webhook POST (JSON, HMAC-SHA256 signature when the channel has a secret)
// or an e-mail over SMTP (nodemailer). Each returns normally on success and throws SendError otherwise.
import "server-only";
import { createHmac } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { request } from "undici";
import type { AlertPayload } from "./model";

export class SendError extends Error {
  constructor(
    message: string,
    readonly responseStatus: number | null = null,
    /** false: retrying cannot help (e.g. e-mail is not configured). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

export const SIGNATURE_HEADER = "x-portal-signature";

/** `sha256=<hex>` of the exact body bytes, keyed with the channel's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function sendWebhook(url: string, secret: string | null, payload: AlertPayload, deliveryId: number, timeoutMs = 10_000): Promise<number> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "SIP Admin Portal alerts", "x-portal-event": payload.event, "x-portal-delivery": String(deliveryId) };
  if (secret) headers[SIGNATURE_HEADER] = signature(secret, body);
  let res;
  try {
    res = await request(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    throw new SendError(e.name === "TimeoutError" || e.name === "AbortError" ? `no answer within ${timeoutMs} ms` : `not reachable: ${e.message}`);
  }
  await res.body.dump().catch(() => {});
  if (res.statusCode < 200 || res.statusCode >= 300) throw new SendError(`answered HTTP ${res.statusCode}`, res.statusCode);
  return res.statusCode;
}

function describe(p: AlertPayload): { subject: string; text: string } {
  const about = p.device ? `${p.device.name} (${p.device.address})` : p.proxy ? p.proxy.address : String(p.details.jobId ?? "");
  const summary = p.details.summary === true ? ` — ${p.details.count} phones` : "";
  const subject = `[SIP portal] ${p.state === "resolved" ? "RESOLVED " : ""}${p.event}${summary ? summary : ` ${about}`}`;
  const lines = [`${p.event} (${p.state}) at ${p.at}`, summary ? `${p.details.count} phones` : about, ""];
  if (typeof p.details.reason === "string") lines.push(`Reason: ${p.details.reason}`, "");
  lines.push("Details (JSON, as a webhook receives it):", JSON.stringify(p, null, 2));
  return { subject, text: lines.join("\n") };
}

// One transport per SMTP URL, kept for the process (nodemailer pools nothing by default; that is fine here).
const transports = new Map<string, Transporter>();

export async function sendEmail(smtpUrl: string | undefined, from: string, to: string, payload: AlertPayload): Promise<void> {
  if (!smtpUrl) throw new SendError("e-mail is not configured (set SMTP_URL)", null, false);
  let transport = transports.get(smtpUrl);
  if (!transport) transports.set(smtpUrl, (transport = nodemailer.createTransport(smtpUrl)));
  const { subject, text } = describe(payload);
  try {
    await transport.sendMail({ from, to, subject, text, headers: { "X-Portal-Event": payload.event } });
  } catch (err) {
    const e = err as Error & { responseCode?: number };
    // 5xx is a permanent refusal (bad recipient …); anything else (connection, 4xx) may pass later.
    throw new SendError(`SMTP: ${e.message}`, e.responseCode ?? null, !(e.responseCode && e.responseCode >= 500));
  }
}
