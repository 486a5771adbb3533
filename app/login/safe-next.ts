/** Only same-site paths are allowed after sign-in (no open redirect via ?next=https://evil or //evil). */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.startsWith("/login")) {
    return "/devices";
  }
  return value;
}
