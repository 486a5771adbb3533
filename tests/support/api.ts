// Test support: call exported route handlers with real Request objects.
type RouteFn = (req: Request, ctx: { params: Promise<any> }) => Promise<Response>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CallOptions {
  token?: string;
  cookie?: string;
  body?: unknown;
  /** Raw body (e.g. CSV); sent as is. */
  text?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
}

export async function call(fn: RouteFn, method: string, path: string, o: CallOptions = {}): Promise<{ status: number; body: any; res: Response }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.cookie) headers.cookie = o.cookie;
  let body: string | undefined;
  if (o.text !== undefined) body = o.text;
  else if (o.body !== undefined) {
    body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fn(new Request(`http://127.0.0.1:3202/api/v1${path}`, { method, headers, body }), { params: Promise.resolve(o.params ?? {}) });
  const text = await res.clone().text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON (CSV) */
  }
  return { status: res.status, body: parsed, res };
}
