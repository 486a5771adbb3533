import "server-only";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import { authenticate, requireRole, type User } from "@/lib/auth";
import { AppError, fieldsFromIssues, validationFailed, type ErrorCode } from "@/lib/errors";
import { isDraining } from "@/lib/lifecycle/drain";
import { limitBody, type BodyKind } from "./body";
import { logger } from "./logger";
import { checkSameOrigin } from "./origin";

export { readJson } from "./body";

export interface HandlerContext<P> {
  /** The authenticated user; null only for `auth: "public"` routes. */
  user: User | null;
  params: P;
  log: Logger;
}

export interface HandlerOptions {
  /** "user" (default): any signed-in user; "admin": admins only; "public": no session needed. */
  auth?: "user" | "admin" | "public";
  /** Which body limit applies (lib/api/body.ts); default "json". */
  body?: BodyKind;
}

type NextRouteContext<P> = { params: Promise<P> };

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

/**
 * A reply whose shape is one of the documented response schemas (lib/<domain>/schemas.ts): the compiler checks the
 * data against the schema the OpenAPI document publishes, and tests/api/openapi-contract.test.ts checks the wire.
 */
export function reply<S extends z.ZodType>(_schema: S, data: z.input<S>, status = 200, headers?: HeadersInit): Response {
  return json(data, status, headers);
}

export { parseWith } from "@/lib/errors";

/** The one mapping from domain error codes to HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  totp_required: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  validation_failed: 422,
  csv_invalid: 422,
  rejected_by_device: 422,
  too_many_attempts: 429,
  internal: 500,
  shutting_down: 503,
  // A device's failure: 504 when it did not answer in time, 502 for everything else it did wrong.
  unreachable: 502,
  unauthorized: 502,
  malformed_reply: 502,
  device_error: 502,
  verify_failed: 502,
  timeout: 504,
};

/** The error envelope for a domain error, with its status (and extra headers, e.g. Retry-After). */
export function errorJson(err: AppError, headers?: HeadersInit): Response {
  return json(err.toJSON(), HTTP_STATUS[err.code], headers);
}

function errorResponse(err: unknown, log: Logger): Response {
  if (err instanceof AppError) {
    const status = HTTP_STATUS[err.code];
    // 502/504 are a device's failure (classified, recorded, shown to the admin), not the portal's: no stack trace.
    if (status === 502 || status === 504) log.warn({ code: err.code, status }, err.message);
    else if (status >= 500) log.error({ err }, err.message);
    return errorJson(err);
  }
  if (err instanceof z.ZodError) return errorJson(validationFailed(fieldsFromIssues(err.issues)));
  log.error({ err }, "unhandled error");
  return errorJson(new AppError("internal", "Internal error; see the server log"));
}

/**
 * Wraps a route handler: authenticates, checks the role, maps AppError/zod errors to the error envelope and
 * logs each request with pino.
 */
export function handler<P = Record<string, string>>(
  fn: (req: Request, ctx: HandlerContext<P>) => Promise<Response>,
  options: HandlerOptions = {},
): (req: Request, ctx: NextRouteContext<P>) => Promise<Response> {
  const auth = options.auth ?? "user";
  return async (req, ctx) => {
    const started = performance.now();
    const url = new URL(req.url);
    let log = logger.child({ reqId: randomUUID(), method: req.method, path: url.pathname });
    let res: Response;
    try {
      // Shutting down (lib/lifecycle): new requests are turned away while the work in flight finishes.
      if (isDraining()) throw new AppError("shutting_down", "The portal is shutting down; try again in a moment");
      limitBody(req, options.body);
      const authed = auth === "public" ? null : await authenticate(req);
      checkSameOrigin(req, authed?.via);
      const user = authed?.user ?? null;
      if (user) {
        log = log.child({ user: user.username });
        if (auth === "admin") requireRole(user, "admin");
      }
      const params = ((await ctx?.params) ?? {}) as P;
      res = await fn(req, { user, params, log });
    } catch (err) {
      res = errorResponse(err, log);
    }
    // API replies are per user and per moment: never stored by a browser or a shared cache.
    if (!res.headers.has("cache-control")) res.headers.set("cache-control", "no-store");
    log.info({ status: res.status, ms: Math.round(performance.now() - started) }, "request");
    return res;
  };
}

/** The user of a non-public handler (the wrapper guarantees one). */
export function userOf(ctx: HandlerContext<unknown>): User {
  if (!ctx.user) throw new AppError("unauthenticated", "Sign in first");
  return ctx.user;
}
