// The REST API's error envelope: every failure answers `{error: {code, message, fields?}}`.
export type ErrorCode =
  | "unauthenticated"
  | "invalid_credentials"
  | "forbidden"
  | "not_found"
  | "validation_failed"
  | "csv_invalid"
  | "conflict"
  | "bad_request"
  | "payload_too_large"
  | "too_many_attempts"
  | "internal"
  // Push/sync failures (lib/push): the device client's classified codes, plus the pipeline's own.
  | "rejected_by_device"
  | "unreachable"
  | "timeout"
  | "unauthorized"
  | "malformed_reply"
  | "device_error"
  | "verify_failed";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Extra members of the `error` object, e.g. `fields` or `rows`. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toJSON(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

export function validationFailed(fields: Record<string, string>, message = "Some values are invalid"): ApiError {
  return new ApiError(422, "validation_failed", message, { fields });
}

/** zod issues → `{ "a.b": "first message" }` (one message per field, the first). */
export function fieldsFromIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}
