// The URL phones are given (DHCP option 160/66, the web interface's Configuration URL, and the file's own
// provisioning/configuration/url): the portal's origin as phones reach it, the credentials inside (phones of this
// family accept http://user:pass@host/path/), and the directory the phone appends <mac>.cfg to. Pure.

export const PROVISIONING_PATH = "/provisioning/";

export interface ProvisioningCredentials {
  username: string;
  password: string;
}

/** `http://USER:PASSWORD@host:port/provisioning/` for an origin such as `http://192.0.2.10:3000`. */
export function provisioningUrl(origin: string, cred: ProvisioningCredentials): string {
  const u = new URL(origin);
  return `${u.protocol}//${encodeURIComponent(cred.username)}:${encodeURIComponent(cred.password)}@${u.host}${PROVISIONING_PATH}`;
}

/** The same URL with the password masked, for audit entries and replies. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "********";
  return u.toString();
}
