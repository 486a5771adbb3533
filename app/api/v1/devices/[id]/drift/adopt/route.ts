import { adoptDrift, deviceActionRoute } from "@/lib/push";

/** Adopt device values: desired = baseline = what the device holds for the drifted keys. */
export const POST = deviceActionRoute("sync", adoptDrift);
