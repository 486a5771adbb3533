// Where to go after sign-in: only a path on this site. Refused (→ /devices): absolute URLs and schemes, `//host`
// and `/\host` (browsers treat `\` as `/`), control characters and whitespace anywhere (a browser strips TAB/LF
// inside URLs, so `/\t/evil` would become `//evil`; a LF in a Location header is a 500), and /login itself.
const FALLBACK = "/devices";
const ORIGIN = "http://portal.invalid";

export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || value.length > 2000 || !value.startsWith("/") || /[\u0000-\u0020\u007f-\u009f\\\u2028\u2029]/.test(value)) return FALLBACK;
  if (value.startsWith("//")) return FALLBACK;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== ORIGIN || url.pathname.startsWith("//") || url.pathname === "/login" || url.pathname.startsWith("/login/")) return FALLBACK;
  return url.pathname + url.search + url.hash;
}
