import { deviceActionRoute, pushPending } from "@/lib/push";

/** Retry: push the stored (pending) desired config. */
export const POST = deviceActionRoute("push", pushPending);
