// Provisioning URLs (pure): the phone's file under a base URL, credentials taken out of the URL, and the
// URL as it may be shown or logged (never with the password).

export interface FileLocation {
  /** The file's URL without credentials. */
  url: string;
  username: string | null;
  password: string | null;
  /** The file's URL with the user name but never the password: for records and logs. */
  shown: string;
}

export const SUPPORTED_SCHEMES = ["http:", "https:"] as const;

/** `http://u:p@h/dir` or `…/dir/` → `…/dir/<mac>.cfg`; a URL that already names a `.cfg` file is used as is. */
export function configFileLocation(base: string, mac: string): FileLocation {
  const parsed = new URL(base);
  const file = `${mac.replace(/[^0-9a-f]/gi, "").toLowerCase()}.cfg`;
  if (!/\.cfg$/i.test(parsed.pathname)) parsed.pathname = parsed.pathname.replace(/\/?$/, "/") + file;
  const username = parsed.username ? decodeURIComponent(parsed.username) : null;
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = "";
  const shown = parsed.toString();
  parsed.username = "";
  return { url: parsed.toString(), username, password, shown };
}

/** The URL with the password removed (user kept): for logs, fetch records and the control surface. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1@");
  }
}

/** Null when the URL can be fetched by the emulator, else why not. */
export function unsupportedUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  if (!(SUPPORTED_SCHEMES as readonly string[]).includes(parsed.protocol))
    return `scheme ${parsed.protocol} is not supported by the emulator (http, https)`;
  return null;
}
