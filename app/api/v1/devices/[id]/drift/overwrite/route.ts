import { overwriteDrift } from "@/lib/push";
import { deviceActionRoute } from "@/lib/api/device-action";

/** Overwrite device: push the desired values of the drifted keys back. */
export const POST = deviceActionRoute("push", overwriteDrift);
