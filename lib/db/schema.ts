// Drizzle tables (PostgreSQL dialect: the same schema runs on PGlite and on a PostgreSQL server).
// Later issues (snapshots, status, jobs) add their own tables here and a new migration with `npm run db:generate`.
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid, bigserial } from "drizzle-orm/pg-core";

export type Role = "admin" | "viewer";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [check("users_role_check", sql`${t.role} in ('admin', 'viewer')`)],
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
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("devices_name_idx").on(t.name), index("devices_site_idx").on(t.site), index("devices_tags_idx").using("gin", t.tags)],
);

export type ConfigState = "never_pushed" | "pending_push" | "in_sync" | "drifted" | "push_failed";

export const deviceConfigs = pgTable("device_configs", {
  deviceId: uuid("device_id")
    .primaryKey()
    .references(() => devices.id, { onDelete: "cascade" }),
  /** Desired configuration, catalog keys → device representation. Missing keys mean "catalog default". */
  values: jsonb("values").$type<Record<string, unknown>>().notNull().default({}),
  state: text("state").$type<ConfigState>().notNull().default("never_pushed"),
  /** Portal-side revision of the desired config (not the device's own revision). */
  revision: integer("revision").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
  syncedAt: timestamp("synced_at", { withTimezone: true }),
});

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
