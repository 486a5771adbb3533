// Drizzle tables (PostgreSQL: the embedded server or any server at DATABASE_URL).
// Later issues (snapshots, status, jobs) add their own tables here and a new migration with `npm run db:generate`.
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { DriverKind } from "../device/kinds";
import type { ModelId as ModelKind } from "../params/profiles/data";

import type { ApiTokenScope, ConfigState, JobState, ProxyRole, RegistrationState, Role, TargetState } from "@/lib/states";

export type { ApiTokenScope, ConfigState, JobState, ProxyRole, RegistrationState, Role, TargetState };

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    createdAt: createdAt(),
    /** Two-step sign-in (TOTP, admins): the secret, encrypted with SECRET_KEY; null = off. */
    totpSecretEnc: text("totp_secret_enc"),
    /** A secret being set up, until its first code is confirmed. */
    totpPendingEnc: text("totp_pending_enc"),
    /** The time step of the last accepted code: a code is never accepted twice. */
    totpLastStep: integer("totp_last_step"),
  },
  (t) => [
    check("users_role_check", sql`${t.role} in ('admin', 'viewer')`),
    // "VICTIM1" and "victim1" are one account: sign-in matches case-insensitively, so creation must too.
    uniqueIndex("users_username_lower_idx").on(sql`lower(${t.username})`),
  ],
);

/** API tokens for scripts (`Authorization: Bearer sapt_…`): shown once, stored as a sha256 hash. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    scope: text("scope").$type<ApiTokenScope>().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** The admin who created it: the token acts as this user (a read token as a viewer). */
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [check("api_tokens_scope_check", sql`${t.scope} in ('read', 'write')`), index("api_tokens_user_idx").on(t.userId)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** sha256 (hex) of the token: a leaked database does not leak usable tokens. */
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const devices = pgTable(
  "devices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** host:port of the device's HTTP config API. */
    address: text("address").notNull().unique(),
    username: text("username").notNull().default(""),
    /** AES-256-GCM ciphertext (lib/crypto); null = no password. */
    passwordEnc: text("password_enc"),
    site: text("site").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** In maintenance: no alerts for this phone, and "maintenance" shown instead of "unreachable". */
    maintenance: boolean("maintenance").notNull().default(false),
    /** How the portal talks to the phone (lib/device drivers): api | web | provisioning. */
    driver: text("driver").$type<DriverKind>().notNull().default("api"),
    /** Which key tree the phone speaks (lib/params/profiles). */
    model: text("model").$type<ModelKind>().notNull().default("mt505"),
    /** Lower-case hex without separators (the provisioning file's name); required for provisioning. */
    mac: text("mac").unique(),
    /** host[:port] of the phone's SIP user agent (check-sync NOTIFY); null = registered contact or address on 5060. */
    sipAddress: text("sip_address"),
    /** Per-device provisioning credentials (null = the shared PROVISIONING_USERNAME/PASSWORD). */
    provisioningUsername: text("provisioning_username"),
    provisioningPasswordEnc: text("provisioning_password_enc"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("devices_name_idx").on(t.name),
    index("devices_site_idx").on(t.site),
    index("devices_tags_idx").using("gin", t.tags),
    index("devices_driver_model_idx").on(t.driver, t.model),
    check("devices_driver_check", sql`${t.driver} in ('api', 'web', 'provisioning')`),
  ],
);

// "never_pushed" is the column's legacy default (a row without a first read); it is reported as never_read.
export type StoredConfigState = ConfigState | "never_pushed";

export const deviceConfigs = pgTable("device_configs", {
  deviceId: uuid("device_id")
    .primaryKey()
    .references(() => devices.id, { onDelete: "cascade" }),
  /** Desired configuration, catalog keys → device representation. Missing keys mean "catalog default". */
  values: jsonb("values").$type<Record<string, unknown>>().notNull().default({}),
  state: text("state").$type<StoredConfigState>().notNull().default("never_pushed"),
  /** Portal-side revision of the desired config (not the device's own revision). */
  revision: integer("revision").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
  syncedAt: timestamp("synced_at", { withTimezone: true }),
  /** The device's own config revision as last read (its ETag); the If-Match of the next push. */
  deviceRevision: integer("device_revision"),
  /** What the portal last pushed or adopted: the reference a later read is compared with to detect drift. */
  baseline: jsonb("baseline").$type<Record<string, unknown>>(),
  /** Keys where the device differs from `baseline` (someone changed it locally): {key: {expected, actual}}. */
  drift: jsonb("drift").$type<Record<string, { expected: unknown; actual: unknown; error?: string }>>(),
  /** The last failed push: classified device error. */
  lastError: jsonb("last_error").$type<{ code: string; message: string; fields?: Record<string, string>; at: string }>(),
  lastPushAt: timestamp("last_push_at", { withTimezone: true }),
});

export type SnapshotSource = "push" | "sync" | "restore" | "adopt" | "job";

/** What a device held after every successful push and every read (revision history, restore, diff view). */
export const configSnapshots = pgTable(
  "config_snapshots",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deviceId: uuid("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    source: text("source").$type<SnapshotSource>().notNull(),
    deviceRevision: integer("device_revision"),
    /** Full config as read back from the device (secrets masked). */
    values: jsonb("values").$type<Record<string, unknown>>().notNull(),
    /** Keys changed against the previous snapshot: {key: {from, to}}. */
    changes: jsonb("changes").$type<Record<string, { from: unknown; to: unknown }>>().notNull().default({}),
    jobId: uuid("job_id"),
    note: text("note"),
  },
  (t) => [index("config_snapshots_device_idx").on(t.deviceId, t.at)],
);


/** Current registration status per device, written by the poller only when something changed. */
export const deviceStatus = pgTable(
  "device_status",
  {
    deviceId: uuid("device_id")
      .primaryKey()
      .references(() => devices.id, { onDelete: "cascade" }),
    state: text("state").$type<RegistrationState>().notNull(),
    proxy: text("proxy").$type<ProxyRole>(),
    registrar: text("registrar"),
    since: timestamp("since", { withTimezone: true }).notNull(),
    lastError: text("last_error"),
    /** Per-proxy keep-alive health as the device reports it. */
    keepAlive: jsonb("keep_alive").$type<Record<string, unknown>>(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** When the row was last written (a change of status: a refresh of the same status writes nothing). */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the phone last answered a status poll (a 304 too; null = no answer recorded). Written with each change and
     * in one batched UPDATE per poll window (lib/poller/store flushLastSeen), so a process that does not poll can
     * tell how old the row is (stale after lib/poller/freshness staleAfterS).
     */
    checkedAt: timestamp("checked_at", { withTimezone: true }),
  },
  (t) => [index("device_status_state_idx").on(t.state, t.proxy)],
);

/** Registration transitions (the timeline), pruned after a retention period. */
export const statusEvents = pgTable(
  "status_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deviceId: uuid("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    fromState: text("from_state").$type<RegistrationState>(),
    fromProxy: text("from_proxy").$type<ProxyRole>(),
    toState: text("to_state").$type<RegistrationState>().notNull(),
    toProxy: text("to_proxy").$type<ProxyRole>(),
    reason: text("reason").notNull(),
  },
  (t) => [index("status_events_device_idx").on(t.deviceId, t.at), index("status_events_at_idx").on(t.at)],
);


/**
 * One entry of a target's attempt history (kept across "Retry failed"): each attempt's outcome with its time and
 * error, the admin's retry requests, and restarts that found a target running.
 */
/** applied · skipped · failed (final) · retrying (transient error, queued again) · retry_requested · interrupted · resumed_applied */
export const TARGET_ATTEMPT_OUTCOMES = ["applied", "skipped", "failed", "retrying", "retry_requested", "interrupted", "resumed_applied"] as const;
export interface TargetAttempt {
  at: string;
  outcome: (typeof TARGET_ATTEMPT_OUTCOMES)[number];
  /** The attempt's number within its round (a retry request starts a new round at 1). */
  attempt?: number;
  code?: string;
  message?: string;
  /** Who asked for the retry. */
  by?: string;
  nextAttemptAt?: string;
}

/** A push job: one set of changes × a set of devices. Durable: a restarted portal resumes unfinished ones. */
export const pushJobs = pgTable(
  "push_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdAt: createdAt(),
    createdBy: text("created_by").notNull(),
    reason: text("reason").notNull().default(""),
    /** The changes (catalog keys → device representation). */
    values: jsonb("values").$type<Record<string, unknown>>().notNull(),
    state: text("state").$type<JobState>().notNull().default("queued"),
    concurrency: integer("concurrency").notNull().default(8),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("push_jobs_state_idx").on(t.state), index("push_jobs_created_idx").on(t.createdAt)],
);

export const pushTargets = pgTable(
  "push_targets",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => pushJobs.id, { onDelete: "cascade" }),
    deviceId: uuid("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    state: text("state").$type<TargetState>().notNull().default("queued"),
    /** The changed keys' values on the device before the push, and as read back after it. */
    before: jsonb("before").$type<Record<string, unknown>>(),
    after: jsonb("after").$type<Record<string, unknown>>(),
    attempts: integer("attempts").notNull().default(0),
    error: jsonb("error").$type<{ code: string; message: string; fields?: Record<string, string> }>(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deviceRevision: integer("device_revision"),
    /** Every attempt's outcome, oldest first (appended in the same statement that records the outcome). */
    history: jsonb("history").$type<TargetAttempt[]>().notNull().default([]),
    /** While running: the claiming process's application_name (lib/db/presence), so a dead claimer is noticed. */
    claimedBy: text("claimed_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("push_targets_job_idx").on(t.jobId, t.state),
    uniqueIndex("push_targets_job_device_uq").on(t.jobId, t.deviceId),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** Username (kept as text so the trail survives deleting the user). */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

/** Registrars the portal reads bindings from (lib/registrars): a second status source besides each phone's own report. */
export const registrars = pgTable("registrars", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  /** lib/registrars REGISTRAR_KINDS. */
  kind: text("kind").notNull(),
  /** Where its bindings are read, e.g. Kamailio's JSON-RPC endpoint http://10.0.0.5:5071/RPC. */
  url: text("url").notNull(),
  createdAt: createdAt(),
});

/** Up/down transitions of the proxies the fleet uses (lib/proxy-health), probed by the portal with SIP OPTIONS. */
export const proxyEvents = pgTable(
  "proxy_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** host:port */
    address: text("address").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    up: boolean("up").notNull(),
    rttMs: integer("rtt_ms"),
    reason: text("reason").notNull(),
  },
  (t) => [index("proxy_events_address_idx").on(t.address, t.at)],
);

/** Every request for a known phone's provisioning file that was answered with the file (issue 11). */
export const provisioningFetches = pgTable(
  "provisioning_fetches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deviceId: uuid("device_id")
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    clientAddress: text("client_address").notNull(),
    userAgent: text("user_agent").notNull().default(""),
    /** The portal's desired-config revision the file was rendered from. */
    revision: integer("revision").notNull(),
    /** sha256 (hex) of the body served. */
    hash: text("hash").notNull(),
  },
  (t) => [index("provisioning_fetches_device_idx").on(t.deviceId, t.at)],
);

/** Authenticated requests for a MAC the inventory does not know: listed for an admin to adopt. */
export const unknownPhones = pgTable("unknown_phones", {
  mac: text("mac").primaryKey(),
  firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  clientAddress: text("client_address").notNull(),
  userAgent: text("user_agent").notNull().default(""),
  requests: integer("requests").notNull().default(1),
});
/** Where alerts go (lib/alerts): a webhook URL or an e-mail address, with an optional rule (events, site, tag). */
export const alertChannels = pgTable("alert_channels", {
  id: uuid("id").primaryKey().defaultRandom(),
  kind: text("kind").notNull(),
  target: text("target").notNull(),
  /** HMAC secret of a webhook, encrypted (lib/crypto); write-only. */
  secretEnc: text("secret_enc"),
  events: text("events").array().notNull().default(sql`'{}'::text[]`),
  site: text("site"),
  tag: text("tag"),
  createdAt: createdAt(),
});

/** One incident per key while open (a proxy down, a phone failed over …): the reason there is one alert, not many. */
export const alertIncidents = pgTable(
  "alert_incidents",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    key: text("key").notNull(),
    event: text("event").notNull(),
    deviceId: uuid("device_id").references(() => devices.id, { onDelete: "cascade" }),
    proxy: text("proxy"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [uniqueIndex("alert_incidents_open_key_uq").on(t.key).where(sql`${t.resolvedAt} is null`), index("alert_incidents_key_idx").on(t.key)],
);

/** Each message to each channel: the durable queue of the sender (retries with backoff) and the delivery log. */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    incidentId: bigint("incident_id", { mode: "number" }).references(() => alertIncidents.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    phase: text("phase").notNull(),
    subject: text("subject").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastError: text("last_error"),
    responseStatus: integer("response_status"),
    summaryOf: integer("summary_of"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("alert_deliveries_due_idx").on(t.status, t.nextAttemptAt), index("alert_deliveries_created_idx").on(t.createdAt)],
);

/**
 * Fleet counts by registration state, one row per sample interval (lib/trend): the dashboard's trend chart over
 * 1 h / 24 h / 7 d. `at` is the interval's start, so several portal processes sampling the same interval write one row.
 */
export const statusSamples = pgTable("status_samples", {
  at: timestamp("at", { withTimezone: true }).primaryKey(),
  registeredPrimary: integer("registered_primary").notNull(),
  registeredRedundant: integer("registered_redundant").notNull(),
  registering: integer("registering").notNull(),
  unregistered: integer("unregistered").notNull(),
  failed: integer("failed").notNull(),
  unreachable: integer("unreachable").notNull(),
  unknown: integer("unknown").notNull(),
  total: integer("total").notNull(),
});

/** What the phone itself reported about itself (GET /device, info.htm), with when: the list's firmware column. */
export const deviceInfo = pgTable("device_info", {
  deviceId: uuid("device_id")
    .primaryKey()
    .references(() => devices.id, { onDelete: "cascade" }),
  firmware: text("firmware").notNull(),
  readAt: timestamp("read_at", { withTimezone: true }).notNull(),
});

/** A user's saved device-list views (lib/views): a named filter, sort and column set. */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** lib/views savedViewSchema's `filter`, `sort`, `dir` and `columns`. */
    view: jsonb("view").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("saved_views_user_name_uq").on(t.userId, t.name)],
);
