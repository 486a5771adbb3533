// Server side of digest auth (RFC 3261 §22.4, RFC 7616): issues nonces, checks Authorization headers against a
// password, answers with a fresh challenge otherwise. Shared by the demo registrar, the phone's NOTIFY handling
// and the web interface (HTTP).
import { randomBytes } from "node:crypto";
import { parseCredentials, verifyCredentials } from "./digest";

const NONCE_LIFETIME_MS = 5 * 60_000;

export class DigestGuard {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly realm: () => string) {}

  /** null when the request carries valid credentials of `user`; else the WWW-Authenticate value to send. */
  check(request: { authorization: string | undefined; method: string }, user: string, secret: string | undefined): string | null {
    const realm = this.realm();
    const value = request.authorization;
    const creds = value ? parseCredentials(value) : null;
    let stale = false;
    if (creds && secret !== undefined && creds.username === user && creds.realm === realm) {
      const issued = this.nonces.get(creds.nonce);
      const valid = verifyCredentials(creds, request.method, secret);
      if (valid && issued !== undefined && Date.now() - issued < NONCE_LIFETIME_MS) return null;
      stale = valid; // right password, old nonce
    }
    const nonce = randomBytes(12).toString("hex");
    const now = Date.now();
    this.nonces.set(nonce, now);
    for (const [n, at] of this.nonces) if (now - at > NONCE_LIFETIME_MS) this.nonces.delete(n);
    return `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ", stale=true" : ""}`;
  }
}
