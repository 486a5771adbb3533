import { deviceActionRoute, syncFromDevice } from "@/lib/push";

/** "Read from device": import (first contact) or compare with the baseline (drift). Admins only: it records. */
export const POST = deviceActionRoute("sync", syncFromDevice);
