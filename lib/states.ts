// Every state vocabulary the portal uses, defined once: const array → zod enum (replies, queries, OpenAPI) +
// type. Pure (zod only), so client components import the same words.
import { z } from "zod";

/** A device's configuration as the portal knows it. `never_read`: the portal has not read the phone yet. */
export const CONFIG_STATES = ["never_read", "pending_push", "in_sync", "drifted", "push_failed"] as const;
export const configStateSchema = z.enum(CONFIG_STATES);
export type ConfigState = z.infer<typeof configStateSchema>;

/** Registration as the portal reports it (the phone's own words plus `unreachable`: the phone does not answer). */
export const REGISTRATION_STATES = ["registered", "registering", "unregistered", "failed", "unreachable"] as const;
export const registrationStateSchema = z.enum(REGISTRATION_STATES);
export type RegistrationState = z.infer<typeof registrationStateSchema>;

export const PROXY_ROLES = ["primary", "redundant"] as const;
export const proxyRoleSchema = z.enum(PROXY_ROLES);
export type ProxyRole = z.infer<typeof proxyRoleSchema>;

export const JOB_STATES = ["queued", "running", "done", "cancelled"] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof jobStateSchema>;

export const TARGET_STATES = ["queued", "running", "applied", "failed", "skipped", "cancelled"] as const;
export const targetStateSchema = z.enum(TARGET_STATES);
export type TargetState = z.infer<typeof targetStateSchema>;

export const ROLES = ["admin", "viewer"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What an API token may do: `read` = a viewer's rights, `write` = its creator's. */
export const API_TOKEN_SCOPES = ["read", "write"] as const;
export const apiTokenScopeSchema = z.enum(API_TOKEN_SCOPES, { error: 'Scope must be "read" or "write"' });
export type ApiTokenScope = z.infer<typeof apiTokenScopeSchema>;

/** What a portal process runs: `web` serves requests (and may poll / run jobs), `worker` only background work. */
export const PROCESS_KINDS = ["web", "worker"] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];
