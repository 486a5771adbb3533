import { pushPending } from "@/lib/push";
import { deviceActionRoute } from "@/lib/api/device-action";

/** Retry: push the stored (pending) desired config. */
export const POST = deviceActionRoute("push", pushPending);
