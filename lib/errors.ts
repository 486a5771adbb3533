// Domain errors: one error type with a closed set of codes. Data modules throw these; the REST handler wrapper
// (lib/api/handler.ts) maps each code to its HTTP status once, so no module below app/ knows about HTTP.
// Every failure answers `{error: {code, message, ...extra}}` (e.g. `fields` for 422, `rows` for a CSV import).
import type { z } from "zod";

export const ERROR_CODES = [
  "unauthenticated",
  "invalid_credentials",
  "forbidden",
  "not_found",
  "validation_failed",
  "csv_invalid",
  "conflict",
  "bad_request",
  "payload_too_large",
  "too_many_attempts",
  /** Right password, but the account has two-step sign-in: send `code` too. */
  "totp_required",
  "internal",
  "shutting_down",
  // Push/sync failures (lib/push): the device client's classified codes, plus the pipeline's own.
  "rejected_by_device",
  "unreachable",
  "timeout",
  "unauthorized",
  "malformed_reply",
  "device_error",
  "verify_failed",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra members of the `error` object, e.g. `fields`, `rows`, `retryable`. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  toJSON(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);

export function validationFailed(fields: Record<string, string>, message = "Some values are invalid"): AppError {
  return new AppError("validation_failed", message, { fields });
}

/** zod issues → `{ "a.b": "first message" }` (one message per field, the first). */
export function fieldsFromIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string; keys?: readonly PropertyKey[] }>): Record<string, string> {
  const fields: Record<string, string> = {};
  // Own keys only: a field named "constructor" or "toString" must not hit Object.prototype.
  const add = (key: string, message: string) => {
    if (!Object.hasOwn(fields, key)) Object.defineProperty(fields, key, { value: message, enumerable: true, writable: true, configurable: true });
  };
  for (const issue of issues) {
    const prefix = issue.path.map(String).join(".");
    // A strict object's unknown keys: one field each, named (not "_": "Unrecognized key(s)").
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      for (const k of issue.keys) add(prefix ? `${prefix}.${String(k)}` : String(k), "Unknown field");
      continue;
    }
    add(prefix || "_", issue.message);
  }
  return fields;
}

/** Parses with a zod schema; failures become 422 validation_failed with per-field messages. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw validationFailed(fieldsFromIssues(r.error.issues));
  return r.data;
}
