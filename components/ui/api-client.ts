// Browser-side calls to the portal's REST API (/api/v1). Errors arrive as {error:{code, message, fields?}}.
// Replies are parsed with a zod schema (`schema`), never cast: a reply of the wrong shape is an ApiError.
import type { z } from "zod";

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

type ApiInit = RequestInit & { json?: unknown };

/**
 * fetch + JSON with the portal's error envelope turned into ApiError. Session expiry sends the user to /login.
 * With `schema` the reply is parsed by it (the result is the schema's output type).
 */
export async function apiFetch<S extends z.ZodType>(path: string, init: ApiInit & { schema: S }): Promise<z.output<S>>;
/** A call whose reply the caller does not read (a mutation, a DELETE): the body is `unknown`, never cast. */
export async function apiFetch(path: string, init?: ApiInit): Promise<unknown>;
export async function apiFetch(path: string, init: ApiInit & { schema?: z.ZodType } = {}): Promise<unknown> {
  const { json, headers, schema, ...rest } = init;
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
  const text = res.status === 204 ? "" : await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, { code: "malformed_reply", message: `The portal answered ${path} with something that is not JSON.` });
  }
  return schema ? parseReply(schema, body, path) : body;
}

/** A reply checked by its schema; a reply of another shape is an ApiError naming the first wrong field. */
export function parseReply<S extends z.ZodType>(schema: S, body: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError(200, { code: "malformed_reply", message: `Unexpected reply from ${path.split("?")[0]}: ${issue?.path.join(".") || "body"} ${issue?.message ?? ""}`.trim() });
}

/** The message to show for a failed request (the API's own, or `fallback` for anything else). */
export function errorMessage(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.body.message : fallback;
}
