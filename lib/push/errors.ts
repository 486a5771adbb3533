// A push/sync failure as a domain error (the REST status comes from its code, in lib/api/handler.ts).
import { AppError, type ErrorCode } from "@/lib/errors";
import type { PushErrorInfo } from "./store";

/** The device's "rejected" (422 from the phone) is `rejected_by_device` to API clients; every other code as is. */
export function pushError(error: PushErrorInfo): AppError {
  const code = (error.code === "rejected" ? "rejected_by_device" : error.code) as ErrorCode;
  return new AppError(code, error.message, {
    retryable: error.retryable,
    ...(error.fields ? { fields: error.fields } : {}),
  });
}
