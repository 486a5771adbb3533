// How a push/sync failure answers over REST (the contract in ARCHITECTURE.md → Push).
import { ApiError, type ErrorCode } from "@/lib/api/errors";
import type { PushErrorInfo } from "./store";

/** 422 rejections and portal validation, 409 concurrent change, 504 timeout, 502 every other device failure. */
export function pushErrorStatus(code: string): number {
  if (code === "rejected" || code === "validation_failed") return 422;
  if (code === "conflict") return 409;
  if (code === "timeout") return 504;
  return 502;
}

export function pushApiError(error: PushErrorInfo): ApiError {
  const code = (error.code === "rejected" ? "rejected_by_device" : error.code) as ErrorCode;
  return new ApiError(pushErrorStatus(error.code), code, error.message, {
    retryable: error.retryable,
    ...(error.fields ? { fields: error.fields } : {}),
  });
}
