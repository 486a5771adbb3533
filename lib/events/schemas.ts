// The wire shapes of the live events the portal streams (GET /api/v1/events). Pure zod: the bus types are
// inferred from these, and the browser parses each event with the same schema instead of casting it.
import { z } from "zod";
import { proxyRoleSchema, registrationStateSchema } from "@/lib/states";

/** A device's registration changed (written to device_status by the poller, or by the proxy prober's reachability check). */
export const statusEventSchema = z.object({
  deviceId: z.string(),
  /** null: nothing is known any more (a phone without a status interface answers SIP OPTIONS again). */
  state: registrationStateSchema.nullable(),
  proxy: proxyRoleSchema.nullable(),
  /** ISO time the device entered this state. */
  since: z.string(),
  lastError: z.string().nullable(),
  /** Newest transition that led here (for a toast/timeline), when there was one. */
  reason: z.string().nullable(),
});
export type StatusEvent = z.infer<typeof statusEventSchema>;

/** A proxy was probed (lib/proxy-health): every check, with `changed` when it went up or down. */
export const proxyProbeEventSchema = z.object({
  address: z.string(),
  up: z.boolean(),
  rttMs: z.number().nullable(),
  checkedAt: z.string(),
  since: z.string(),
  changed: z.boolean(),
  /** Why it changed (the probe's words), when it did. */
  reason: z.string().nullable(),
});
export type ProxyEvent = z.infer<typeof proxyProbeEventSchema>;
