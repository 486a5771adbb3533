// The one host rule: an IPv4 address (dotted quad, no leading zeros) or an RFC 1123 host name. Used by every
// address field of the catalog and by a device's own address (lib/inventory/device-input.ts). Pure.
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const IPV4_LIKE = /^[\d.]+$/;
const MAX_HOST_LENGTH = 253;

export function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255 && (o === "0" || !o.startsWith("0")));
}

/** Error message or null. An all-numeric name is taken as an IPv4 attempt; 0.0.0.0 ("not set") is refused. */
export function hostError(s: string): string | null {
  if (s === "") return "Required";
  if (IPV4_LIKE.test(s)) {
    if (!isIpv4(s)) return "Not a valid IPv4 address";
    if (s === "0.0.0.0") return "0.0.0.0 means “not set”; enter a usable address";
    return null;
  }
  if (s.length > MAX_HOST_LENGTH) return `A host name has at most ${MAX_HOST_LENGTH} characters`;
  return s.split(".").every((label) => HOST_LABEL.test(label)) ? null : "Must be an IPv4 address or host name";
}
