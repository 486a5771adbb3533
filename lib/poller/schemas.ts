// Reply shapes of live status: a device's status, fleet counts, poller health. Pure zod.
import { z } from "zod";
import { deviceRegistrarSchema } from "@/lib/registrars/model";
import { sipReachabilitySchema } from "@/lib/proxy-health/model";
import { proxyRoleSchema as proxyRole, registrationStateSchema } from "@/lib/states";

export const proxyRoleSchema = proxyRole.nullable();
export const proxyHealthSchema = z
  .object({
    address: z.string().nullable(),
    reachable: z.boolean().nullable(),
    lastOkAt: z.string().nullable(),
    lastFailAt: z.string().nullable(),
    rttMs: z.number().nullable(),
  })
  .meta({ id: "ProxyHealth", description: "Keep-alive (SIP OPTIONS) health of one proxy as the device reports it" });
/** The freshness threshold (lib/poller/freshness staleAfterS), in every reply that carries a phone's last answer. */
export const staleAfterSchema = z.number().positive().meta({
  description:
    "Seconds after lastSeenAt from which the status, keep-alive and proxy data are stale (two poll intervals — or long-poll waits — without an answer, plus the one window a stored answer time may lag)",
});
/** When a phone last answered the poller, as stored by every polling process (one write per poll window). */
export const lastSeenAtSchema = z.iso.datetime().nullable();
export const deviceStatusSchema = z
  .object({
    state: registrationStateSchema.nullable().meta({ description: "null: not polled yet" }),
    proxy: proxyRoleSchema,
    since: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    registeredTo: z.string().nullable().meta({ description: "host:port of the registrar the phone itself reports" }),
    maintenance: z.boolean().meta({ description: "The phone is in maintenance: alerts silenced" }),
    registrar: deviceRegistrarSchema.nullable().meta({ description: "What the configured registrars hold for this phone (null: no registrar configured)" }),
    reachability: sipReachabilitySchema.nullable().meta({
      description: "Phones that report no status themselves (driver provisioning): whether they answer the portal's SIP OPTIONS; null for the others",
    }),
    expiresAt: z.iso.datetime().nullable(),
    keepAlive: z.object({ primary: proxyHealthSchema, redundant: proxyHealthSchema }).nullable(),
    updatedAt: z.iso.datetime().nullable().meta({ description: "When the portal last wrote this status (a change; an unchanged status is not rewritten)" }),
    lastSeenAt: lastSeenAtSchema.meta({ description: "When the phone last answered a status poll (any polling process); null = no answer recorded" }),
    staleAfterS: staleAfterSchema,
    history: z.array(
      z.object({
        at: z.iso.datetime(),
        from: z.object({ state: registrationStateSchema.nullable(), proxy: proxyRoleSchema }),
        to: z.object({ state: registrationStateSchema, proxy: proxyRoleSchema }),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: "DeviceStatus" });
export const countsSchema = z
  .object({
    registeredPrimary: z.number().int(),
    registeredRedundant: z.number().int(),
    registering: z.number().int(),
    unregistered: z.number().int(),
    failed: z.number().int(),
    unreachable: z.number().int(),
    unknown: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: "StatusCounts" });
/** GET /status/summary: the fleet's counts now and one sample per poll window. */
export const statusSummarySchema = z.object({
  counts: countsSchema,
  trend: z.array(countsSchema.extend({ at: z.iso.datetime() })).meta({ description: "One sample per poll window (in memory, since the poller started)" }),
  intervalS: z.number().nullable().meta({ description: "The poll interval; null: no poller runs in this process" }),
});
export const windowSchema = z.object({
  at: z.iso.datetime(),
  durationMs: z.number(),
  polls: z.number().int(),
  pollsPerS: z.number(),
  notModified: z.number().int(),
  writes: z.number().int(),
  events: z.number().int(),
  errors: z.record(z.string(), z.number().int()),
  lagAvgMs: z.number(),
  lagMaxMs: z.number(),
});
export const pollerHealthSchema = z
  .object({
    running: z.boolean(),
    startedAt: z.iso.datetime().nullable().optional(),
    intervalS: z.number().optional(),
    concurrency: z.number().int().optional(),
    devices: z.number().int().optional(),
    inFlight: z.number().int().optional(),
    held: z.number().int().optional().meta({ description: "Phones this process holds a status long-poll with (they answer the moment their status changes)" }),
    backingOff: z.number().int().optional(),
    lastCycle: windowSchema.nullable().optional(),
    totals: z.object({ polls: z.number().int(), notModified: z.number().int(), writes: z.number().int(), events: z.number().int(), errors: z.record(z.string(), z.number().int()) }).optional(),
    lastError: z.string().nullable().optional(),
    shards: z
      .object({ owned: z.number().int(), total: z.number().int() })
      .nullable()
      .optional()
      .meta({ description: "Shards of the fleet this process polls this window (several processes split the phones); null = every device" }),
    reason: z.string().optional().meta({ description: "Why no poller runs in this process" }),
  })
  .meta({ id: "PollerHealth" });

