// Device API authentication. Pluggable because real phones differ (many use Digest); the emulator ships Basic.
import { timingSafeEqual } from "node:crypto";

export interface Credentials {
  username: string;
  password: string;
}

export interface DeviceAuth {
  /** True when the Authorization header carries the device's credentials. */
  verify(authorization: string | undefined, expected: Credentials): boolean;
  /** WWW-Authenticate value sent with a 401. */
  challenge(): string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const basicAuth: DeviceAuth = {
  verify(authorization, expected) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
    if (!match) return false;
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    // Evaluate both so a wrong user and a wrong password take the same path.
    const userOk = same(decoded.slice(0, colon), expected.username);
    const passOk = same(decoded.slice(colon + 1), expected.password);
    return userOk && passOk;
  },
  challenge: () => 'Basic realm="Spider MT505", charset="UTF-8"',
};
