// Test support for the device API / control surface suites: a fleet on 127.41.1.x and a small HTTP client.
import { request } from "undici";
import { startFleet, type Emulator, type EmulatorOptions } from "../../src/fleet/index";

export const FIRST_IP = "127.41.1.1";
export const CONTROL_HOST = "127.41.0.1";
export const CONTROL_PORT = 8099;
export const AUTH = { username: "admin", password: "s3cret" };

export function basic(username = AUTH.username, password = AUTH.password): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

export async function startTestFleet(options: EmulatorOptions = {}): Promise<Emulator> {
  return startFleet({
    devices: 2,
    firstIp: FIRST_IP,
    httpPort: 8080,
    username: AUTH.username,
    password: AUTH.password,
    controlHost: CONTROL_HOST,
    controlPort: CONTROL_PORT,
    ...options,
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One request; `auth: false` sends no Authorization header. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | object; auth?: boolean | string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth !== false) headers.authorization = typeof init.auth === "string" ? init.auth : basic();
  let body: string | undefined;
  if (typeof init.body === "object") {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  } else body = init.body;
  const res = await request(url, { method: (init.method ?? "GET") as "GET", headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

export const deviceUrl = (index: number, path: string) => `http://127.41.1.${index + 1}:8080/api/v1${path}`;
export const controlUrl = (path: string) => `http://${CONTROL_HOST}:${CONTROL_PORT}${path}`;

/** Polls until `check` passes or the (generous) deadline passes; for conditions, not for speed. */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
