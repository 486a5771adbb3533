/** 001f9c123456 → 00:1f:9c:12:34:56 (the stored MAC is lower-case hex without separators). */
export function formatMac(mac: string): string {
  return mac.match(/.{2}/g)?.join(":") ?? mac;
}
