import { adoptDrift } from "@/lib/push";
import { deviceActionRoute } from "@/lib/api/device-action";

/** Adopt device values: desired = baseline = what the device holds for the drifted keys. */
export const POST = deviceActionRoute("sync", adoptDrift);
