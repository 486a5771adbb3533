// Browser-side calls to the portal's REST API (/api/v1). Errors arrive as {error:{code, message, fields?}}.

export type ApiErrorBody = {
  code: string;
  message: string;
  fields?: Record<string, string>;
  rows?: { row: number; field: string; message: string }[];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = "ApiError";
  }
}

async function parseError(res: Response): Promise<ApiError> {
  let body: ApiErrorBody = { code: "http_error", message: `The server answered ${res.status} ${res.statusText}`.trim() };
  try {
    const json = (await res.json()) as { error?: ApiErrorBody };
    if (json?.error?.message) body = json.error;
  } catch {
    // Not JSON (a proxy error page, a crash): keep the generic message above.
  }
  return new ApiError(res.status, body);
}

/** fetch + JSON with the portal's error envelope turned into ApiError. Session expiry sends the user to /login. */
export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, { code: "network_error", message: "Cannot reach the portal server. Check your connection and try again." });
  }
  if (res.status === 401 && !path.startsWith("/api/v1/session")) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
