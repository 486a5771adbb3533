import { syncFromDevice } from "@/lib/push";
import { deviceActionRoute } from "@/lib/api/device-action";

/** "Read from device": import (first contact) or compare with the baseline (drift). Admins only: it records. */
export const POST = deviceActionRoute("sync", syncFromDevice);
