// Authentication of the web interface: HTTP Basic, HTTP Digest (MD5, qop=auth) or the session cookie that
// POST /login.cgi hands out (user + base64 password, as newer firmware is reported to do).
import { randomBytes } from "node:crypto";
import type { DeviceIdentity } from "../fleet/device";
import { DigestGuard } from "../sip/digest-guard";
import { basicAuth } from "./auth";

export const WEB_REALM = "IP Phone";
export const SESSION_COOKIE = "session";
const MAX_SESSIONS = 10_000;

export class WebAuth {
  private readonly digest = new DigestGuard(() => WEB_REALM);
  /** token → phone address it was issued by. */
  private readonly sessions = new Map<string, string>();

  /** null when authorised; else the WWW-Authenticate values to send with a 401. */
  check(req: { authorization: string | undefined; cookie: string | undefined; method: string }, id: DeviceIdentity): string[] | null {
    const token = cookieValue(req.cookie, SESSION_COOKIE);
    if (token && this.sessions.get(token) === id.ip) return null;
    if (basicAuth.verify(req.authorization, id)) return null;
    const digest = this.digest.check({ authorization: req.authorization, method: req.method }, id.username, id.password);
    if (digest === null) return null;
    return [digest, `Basic realm="${WEB_REALM}"`];
  }

  /** POST /login.cgi: `psw` is the password in base64. A new session token, or null when wrong. */
  login(user: string | undefined, psw: string | undefined, id: DeviceIdentity): string | null {
    const password = Buffer.from(psw ?? "", "base64").toString("utf8");
    const basic = `Basic ${Buffer.from(`${user ?? ""}:${password}`).toString("base64")}`;
    if (!basicAuth.verify(basic, id)) return null;
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const token = randomBytes(16).toString("hex");
    this.sessions.set(token, id.ip);
    return token;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}
