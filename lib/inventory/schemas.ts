// Reply shapes of the inventory API. Pure zod.
import { z } from "zod";
import { DRIVERS } from "@/lib/device/kinds";
import { MODELS } from "@/lib/params/profiles/data";
import { configStateSchema, registrationStateSchema, proxyRoleSchema } from "@/lib/states";
import { lastSeenAtSchema, staleAfterSchema } from "@/lib/poller/schemas";

/** Sortable columns of the list (server side: paging needs the order). */
export const DEVICE_SORTS = ["name", "address", "site", "model", "extension", "registration"] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

/**
 * `status` filter of the list: a registration state, "on_primary" / "failed_over" (registered to the primary /
 * the redundant proxy), "unknown" (not polled yet).
 */
export const STATUS_FILTERS = ["registered", "registering", "unregistered", "failed", "unreachable", "on_primary", "failed_over", "unknown"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** The list's columns a user may show or hide (the column chooser, saved views); the others are always there. */
export const DEVICE_LIST_COLUMNS = ["model", "driver", "firmware", "extension", "lastSeen", "configState"] as const;
export type DeviceListColumn = (typeof DEVICE_LIST_COLUMNS)[number];

export const deviceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().meta({ description: "host:port of the device's HTTP config API" }),
    username: z.string(),
    hasPassword: z.boolean().meta({ description: "The password itself is write-only" }),
    site: z.string(),
    tags: z.array(z.string()),
    driver: z.enum(DRIVERS).meta({ description: "How the portal talks to the phone: api (JSON config API), web (AudioCodes-family web interface), provisioning (the phone pulls <mac>.cfg)" }),
    model: z.enum(MODELS).meta({ description: "Which key tree the phone speaks (mt505 = the reference's, audiocodes-hd = the 310HD tree)" }),
    mac: z.string().nullable().meta({ description: "Lower-case hex without separators, e.g. 001f9c123456" }),
    sipAddress: z.string().nullable().meta({ description: "host[:port] of the phone's SIP user agent (check-sync); null = registered contact or the address on 5060" }),
    provisioningUsername: z.string().meta({ description: "Per-device provisioning username; empty = the shared PROVISIONING_USERNAME" }),
    hasProvisioningPassword: z.boolean(),
    maintenance: z.boolean().meta({ description: "Alerts silenced; shown as maintenance instead of unreachable" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    status: z
      .object({ state: registrationStateSchema, proxy: proxyRoleSchema.nullable(), since: z.iso.datetime() })
      .nullable()
      .optional()
      .meta({ description: "List items only: current registration; null = not polled yet" }),
    configState: configStateSchema
      .optional()
      .meta({ description: "List items only: the config state (never_read until the portal read the phone; in_sync, drifted, pending_push, push_failed)" }),
    sipExtension: z
      .string()
      .nullable()
      .optional()
      .meta({ description: "List items only: the line's SIP user ID as the portal holds it; null = none or never read" }),
    firmware: z
      .object({ version: z.string(), readAt: z.iso.datetime() })
      .nullable()
      .optional()
      .meta({ description: "List items only: the firmware version the phone reported, and when it was read; null = not read yet" }),
    lastSeenAt: lastSeenAtSchema
      .optional()
      .meta({ description: "List items only: when the phone last answered a status poll (stored by every polling process, once per poll window); null = no answer recorded. Stale after the list's staleAfterS" }),
  })
  .meta({ id: "Device" });

export type DeviceReply = z.infer<typeof deviceSchema>;

/** GET /devices: a page of the list, and the threshold its lastSeenAt times are judged by. */
export const deviceListSchema = z.object({ items: z.array(deviceSchema), total: z.number().int(), staleAfterS: staleAfterSchema });
