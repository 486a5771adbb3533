// Fetches one provisioning file over HTTP(S) with undici, the way such phones do: first without credentials,
// then once more answering the server's Basic or Digest challenge with the credentials from the URL.
import { Agent, request } from "undici";
import { buildAuthorization, parseChallenge } from "../sip/digest";
import type { FileLocation } from "./url";

export type FetchOutcome =
  | { kind: "answer"; status: number; body: string; bytes: number }
  | { kind: "error"; error: string };

export const FETCH_TIMEOUT_MS = 10_000;
const MAX_BYTES = 1024 * 1024;

// Phones of this family are usually not given the server's CA: the emulator does not verify certificates.
const agent = new Agent({ connect: { rejectUnauthorized: false }, keepAliveTimeout: 1000 });

export async function fetchFile(location: FileLocation, userAgent: string): Promise<FetchOutcome> {
  try {
    let answer = await get(location.url, userAgent, undefined);
    const challenge = answer.status === 401 ? answer.challenge : undefined;
    if (challenge && location.username !== null) {
      const authorization = answerChallenge(challenge, location, new URL(location.url));
      if (authorization) answer = await get(location.url, userAgent, authorization);
    }
    return { kind: "answer", status: answer.status, body: answer.body, bytes: answer.bytes };
  } catch (error) {
    return { kind: "error", error: (error as Error).message || String(error) };
  }
}

function answerChallenge(header: string, location: FileLocation, url: URL): string | null {
  const username = location.username ?? "";
  const password = location.password ?? "";
  if (/^\s*Basic\b/i.test(header)) return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const digest = parseChallenge(header);
  if (!digest) return null;
  return buildAuthorization(digest, { username, password, method: "GET", uri: url.pathname + url.search, nc: 1 });
}

async function get(url: string, userAgent: string, authorization: string | undefined) {
  const headers: Record<string, string> = { "user-agent": userAgent, accept: "text/plain, */*" };
  if (authorization) headers.authorization = authorization;
  const res = await request(url, { method: "GET", headers, dispatcher: agent, headersTimeout: FETCH_TIMEOUT_MS, bodyTimeout: FETCH_TIMEOUT_MS });
  const buffer = Buffer.from(await res.body.arrayBuffer());
  if (buffer.length > MAX_BYTES) throw new Error(`file larger than ${MAX_BYTES} bytes`);
  const www = res.headers["www-authenticate"];
  // Prefer Digest when the server offers both.
  const offers = (Array.isArray(www) ? www : www ? [www] : []);
  const challenge = offers.find((v) => /^\s*Digest\b/i.test(v)) ?? offers[0];
  return { status: res.statusCode, body: buffer.toString("utf8"), bytes: buffer.length, challenge };
}
