// zod schemas of the /api/v1 replies the browser reads: every reply is parsed by one of these, never cast.
// The server's wire types are imported type-only and checked against these schemas at compile time
// (`Check` below), so a server change that breaks the browser fails the build instead of a page.
import { z } from "zod";
import { DRIVERS } from "@/lib/device/kinds";
import { MODELS } from "@/lib/params/profiles/data";
import { CONFIG_STATES, proxyRoleSchema, registrationStateSchema } from "@/lib/states";
import { deviceStatusSchema } from "@/lib/poller/schemas";
import type { Device as ServerDevice } from "@/lib/inventory/devices";
import type { ListedUser } from "@/lib/auth/users";
import type { Revision as ServerRevision, RevisionSummary as ServerRevisionSummary } from "@/lib/revisions";
import type { Preview as ServerPreview } from "@/lib/jobs/preview";
import type { PublicConfig } from "@/lib/config-store";
import type {
  DeviceProvisioning as ServerDeviceProvisioning,
  PointAtProvisioningResult as ServerPointResult,
  ProvisioningOverview as ServerProvisioningOverview,
} from "@/lib/provisioning/schemas";

/** Compile-time check: what the server sends (S) must be readable by the schema's input (I). */
type Readable<S, I> = [S] extends [I] ? true : false;
type Assert<T extends true> = T;

const iso = z.string();
const configValue = z.union([z.string(), z.number(), z.null()]);

export const statusBriefSchema = z.object({
  state: registrationStateSchema,
  proxy: proxyRoleSchema.nullable(),
  since: iso,
});

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  username: z.string(),
  hasPassword: z.boolean(),
  site: z.string(),
  tags: z.array(z.string()),
  driver: z.enum(DRIVERS),
  model: z.enum(MODELS),
  mac: z.string().nullable(),
  sipAddress: z.string().nullable(),
  provisioningUsername: z.string(),
  hasProvisioningPassword: z.boolean(),
  maintenance: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
  status: statusBriefSchema.nullable().optional(),
  configState: z.enum(CONFIG_STATES).optional(),
  sipExtension: z.string().nullable().optional(),
  firmware: z.object({ version: z.string(), readAt: iso }).nullable().optional(),
  lastSeenAt: iso.nullable().optional(),
});
export type Device = z.output<typeof deviceSchema>;

export const deviceListSchema = z.object({
  items: z.array(deviceSchema),
  total: z.number().int(),
  /** Seconds after an item's lastSeenAt from which its status is stale (lib/poller/freshness). */
  staleAfterS: z.number().positive(),
});
export type DeviceList = z.output<typeof deviceListSchema>;

/** The config's state; `never_read`: the portal has not read this phone yet (values null). */
export { CONFIG_STATES, type ConfigState } from "@/lib/states";

const deviceErrorSchema = z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional(), at: iso });

export const deviceConfigSchema = z.object({
  values: z.record(z.string(), configValue).nullable(),
  revision: z.number().int(),
  state: z.enum(CONFIG_STATES),
  syncedAt: iso.nullable(),
  updatedAt: iso.nullable().optional(),
  updatedBy: z.string().nullable().optional(),
  deviceRevision: z.number().int().nullable(),
  drift: z.record(z.string(), z.object({ expected: z.unknown(), actual: z.unknown() })).nullable(),
  lastError: deviceErrorSchema.nullable(),
  lastPushAt: iso.nullable().optional(),
});
export type DeviceConfig = z.output<typeof deviceConfigSchema>;

/** The part of GET …/status the config side reads (the status panel has its own view). */
export const statusReachSchema = deviceStatusSchema.pick({ state: true, lastError: true, updatedAt: true });

const pushOutcomeSchema = z.object({ deviceRevision: z.number().int(), noop: z.boolean() });
/** PATCH …/config: the stored config and what the push did. */
export const savedConfigSchema = z.object({ push: pushOutcomeSchema });
/** POST …/sync, …/config/push, …/drift/*: the new config plus the action's outcome. */
export const configActionSchema = deviceConfigSchema.extend({
  push: pushOutcomeSchema.optional(),
  sync: z.object({ drift: z.record(z.string(), z.unknown()).nullable().optional() }).optional(),
});

export const changesSchema = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));
export type Changes = z.output<typeof changesSchema>;

export const REVISION_SOURCES = ["push", "sync", "restore", "adopt", "job"] as const;
export const revisionSummarySchema = z.object({
  id: z.number().int(),
  at: iso,
  actor: z.string(),
  source: z.string(),
  deviceRevision: z.number().int().nullable(),
  changes: changesSchema,
  jobId: z.string().nullable(),
  note: z.string().nullable(),
});
export type RevisionSummary = z.output<typeof revisionSummarySchema>;
export const revisionListSchema = z.array(revisionSummarySchema);
export const revisionSchema = revisionSummarySchema.extend({ values: z.record(z.string(), z.union([z.string(), z.number()])) });
export const restoreResultSchema = z.object({ push: pushOutcomeSchema });

export const userSchema = z.object({ id: z.string(), username: z.string(), role: z.enum(["admin", "viewer"]), createdAt: iso, totp: z.boolean() });
export type User = z.output<typeof userSchema>;
export const userListSchema = z.object({ items: z.array(userSchema) });

export const importResultSchema = z.object({ created: z.number().int() });

export const cfgPreviewSchema = z.object({
  diff: changesSchema,
  errors: z.array(z.object({ line: z.number().int(), key: z.string().optional(), message: z.string() })).optional(),
});
export type CfgPreview = z.output<typeof cfgPreviewSchema>;

/** POST /jobs/common: per bulk key what the selected phones hold (values read from them): shared, or mixed with counts. */
export const commonValueSchema = z.object({
  common: z.boolean(),
  value: configValue,
  holders: z.array(z.object({ value: configValue, devices: z.number().int() })).default([]),
});
export type CommonValue = z.output<typeof commonValueSchema>;
export const commonValuesSchema = z.object({
  total: z.number().int(),
  values: z.record(z.string(), commonValueSchema),
  /** Selected phones not read yet: left out of the values. */
  unread: z.object({ count: z.number().int(), names: z.array(z.string()) }).default({ count: 0, names: [] }),
});
export type CommonValues = z.output<typeof commonValuesSchema>;

export const PREVIEW_STATUSES = ["change", "nochange", "invalid", "unread"] as const;
export const previewRowSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  status: z.enum(PREVIEW_STATUSES),
  diff: changesSchema,
  errors: z.record(z.string(), z.string()).optional(),
  unread: z.literal(true).optional(),
});
export type PreviewRow = z.output<typeof previewRowSchema>;
export const previewSchema = z.object({
  rows: z.array(previewRowSchema),
  counts: z.object({ change: z.number(), nochange: z.number(), invalid: z.number(), unread: z.number().default(0), total: z.number() }),
});
export type Preview = z.output<typeof previewSchema>;

export const createdJobSchema = z.object({ id: z.string() });

export const fetchRecordSchema = z.object({ at: iso, clientAddress: z.string(), userAgent: z.string(), revision: z.number().int(), hash: z.string() });
export type FetchRecord = z.output<typeof fetchRecordSchema>;
/** GET …/provisioning: the phone's fetches (newest first) and what its file holds now. */
export const deviceProvisioningSchema = z.object({
  fetches: z.array(fetchRecordSchema),
  served: z.object({ revision: z.number().int(), values: z.record(z.string(), configValue) }),
});
export type DeviceProvisioning = z.output<typeof deviceProvisioningSchema>;

export const unknownPhoneSchema = z.object({ mac: z.string(), firstSeenAt: iso, lastSeenAt: iso, clientAddress: z.string(), userAgent: z.string(), requests: z.number().int() });
export type UnknownPhone = z.output<typeof unknownPhoneSchema>;
/** GET /provisioning (admins). */
export const provisioningOverviewSchema = z.object({
  path: z.string(),
  username: z.string(),
  password: z.string(),
  generated: z.boolean(),
  allow: z.array(z.string()),
  ratePerMin: z.number().int(),
  unknownPhones: z.array(unknownPhoneSchema),
});
export type ProvisioningOverview = z.output<typeof provisioningOverviewSchema>;

/** POST …/provisioning/point: the web phone now fetches from the portal. */
export const pointAtProvisioningResultSchema = z.object({
  device: deviceSchema,
  configUrl: z.string(),
  fetched: z.object({ revision: z.number().int() }).nullable(),
  message: z.string(),
});
export type PointAtProvisioningResult = z.output<typeof pointAtProvisioningResultSchema>;

// Fails to compile when a server wire type stops fitting its schema.
export type ServerRepliesFit = [
  Assert<Readable<PublicConfig, z.input<typeof deviceConfigSchema>>>,
  Assert<Readable<ServerDevice, z.input<typeof deviceSchema>>>,
  Assert<Readable<ServerRevisionSummary, z.input<typeof revisionSummarySchema>>>,
  Assert<Readable<ServerRevision, z.input<typeof revisionSchema>>>,
  Assert<Readable<ListedUser, z.input<typeof userSchema>>>,
  Assert<Readable<ServerPreview, z.input<typeof previewSchema>>>,
  Assert<Readable<ServerDeviceProvisioning, z.input<typeof deviceProvisioningSchema>>>,
  Assert<Readable<ServerProvisioningOverview, z.input<typeof provisioningOverviewSchema>>>,
  Assert<Readable<ServerPointResult, z.input<typeof pointAtProvisioningResultSchema>>>,
];
