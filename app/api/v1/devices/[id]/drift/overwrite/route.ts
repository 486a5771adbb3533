import { deviceActionRoute, overwriteDrift } from "@/lib/push";

/** Overwrite device: push the desired values of the drifted keys back. */
export const POST = deviceActionRoute("push", overwriteDrift);
