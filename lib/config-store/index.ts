import "server-only";
import { eq, sql } from "drizzle-orm";
import { AppError, notFound, validationFailed } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { executePrepared, getDb, type DbOrTx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { createBatcher, serverRejected } from "@/lib/db/batch";
import { deviceConfigs, devices, type ConfigState } from "@/lib/db/schema";
import { isUuid } from "@/lib/inventory/devices";
import { SECRET_KEYS, defaultConfig, isSecretKey, maskSecrets, paramByKey, validatePatch, type ConfigValues, type MaskedConfigValues } from "@/lib/params";
import { profileFor } from "@/lib/params/profiles";

// SIP passwords inside the desired config are credentials too: stored encrypted like the device's API password.

export function sealSecrets(values: ConfigValues): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const k of SECRET_KEYS) if (typeof out[k] === "string" && out[k] !== "") out[k] = encryptSecret(out[k] as string);
  return out;
}

export function openSecrets(stored: Record<string, unknown>): ConfigValues {
  const out = { ...stored } as ConfigValues;
  for (const k of SECRET_KEYS) if (typeof out[k] === "string" && out[k] !== "") out[k] = decryptSecret(out[k] as string);
  return out;
}

export interface DesiredConfig {
  /** Full config: stored desired values over the catalog defaults (secrets in clear: server-side only). */
  values: ConfigValues;
  revision: number;
  state: ConfigState;
  syncedAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Push/sync bookkeeping (lib/push): the device's revision as last read, drift, last failed push. */
  deviceRevision: number | null;
  drift: Record<string, { expected: unknown; actual: unknown; error?: string }> | null;
  lastError: { code: string; message: string; fields?: Record<string, string>; at: string } | null;
  lastPushAt: string | null;
  /** What the portal last pushed/adopted/synced (secrets in clear; server-side only). */
  baseline: ConfigValues | null;
}

/** As the API answers it (ConfigReply of ./schemas): secrets null, and `values: null` until the phone was read. */
export type PublicConfig = Omit<DesiredConfig, "values" | "baseline"> & { values: MaskedConfigValues | null };

async function load(db: DbOrTx, deviceId: string, forUpdate: boolean): Promise<DesiredConfig> {
  if (!isUuid(deviceId)) throw notFound("Device");
  const base = db
    .select({ deviceId: devices.id, cfg: deviceConfigs })
    .from(devices)
    .leftJoin(deviceConfigs, eq(deviceConfigs.deviceId, devices.id))
    .where(eq(devices.id, deviceId))
    .limit(1);
  // "no key update": serialises the writers of this device's config without blocking inserts that only reference
  // the device (snapshots, status rows, audit), which would otherwise wait on it and can deadlock with it.
  // The lock is its own statement and the config is read after it: a SELECT … FOR UPDATE that waited for the lock
  // returns the locked row's newest version but the joined config row from its own, older snapshot — so a
  // background read that waited for a push's record built on the config from before it and overwrote the push with
  // drift (e2e device-config saw "Drifted" right after a verified push).
  if (forUpdate) {
    const [locked] = await db.select({ id: devices.id }).from(devices).where(eq(devices.id, deviceId)).for("no key update");
    if (!locked) throw notFound("Device");
  }
  const [row] = await base;
  if (!row) throw notFound("Device");
  return desiredFromRow(row.cfg);
}

/** The desired config from its stored row (null: no row yet). */
export function desiredFromRow(c: typeof deviceConfigs.$inferSelect | null): DesiredConfig {
  return {
    values: { ...defaultConfig(), ...openSecrets(c?.values ?? {}) },
    revision: c?.revision ?? 0,
    // Until the first read the portal does not know what the phone holds, whatever the row says (the device list's
    // configState filter says the same in SQL: lib/inventory/devices.ts configStateSql).
    state: !c?.baseline || c.state === "never_pushed" ? "never_read" : c.state,
    syncedAt: c?.syncedAt?.toISOString() ?? null,
    updatedAt: c?.updatedAt?.toISOString() ?? null,
    updatedBy: c?.updatedBy ?? null,
    deviceRevision: c?.deviceRevision ?? null,
    drift: c?.drift ?? null,
    lastError: c?.lastError ?? null,
    lastPushAt: c?.lastPushAt?.toISOString() ?? null,
    baseline: c?.baseline ? openSecrets(c.baseline) : null,
  };
}

/** The desired config inside a transaction (lib/push); `forUpdate` locks the device row until commit. */
export const loadDesiredConfig = load;

/** The desired config with secrets in clear, for the server-side push only. */
export async function getDesiredConfig(deviceId: string): Promise<DesiredConfig> {
  return load(await getDb(), deviceId, false);
}

/**
 * The desired config as the API returns it: secrets null; never read → `values: null` (no defaults shown as the
 * phone's); a parameter the phone's model lacks is absent (its catalog default is nothing the phone holds).
 */
export async function getPublicConfig(deviceId: string): Promise<PublicConfig> {
  const { baseline, ...c } = await getDesiredConfig(deviceId);
  if (baseline === null) return { ...c, values: null };
  const [device] = await (await getDb()).select({ model: devices.model }).from(devices).where(eq(devices.id, deviceId)).limit(1);
  const profile = profileFor(device?.model);
  const held = Object.fromEntries(Object.entries(c.values).filter(([k]) => !paramByKey(k) || profile.supports(k)));
  return { ...c, values: maskSecrets(held) };
}

/**
 * Validates `patch` against the merged config and stores the result as the new desired config (revision + 1,
 * state pending_push). Invalid → 422 with per-key fields and nothing stored. `expectedRevision` (from If-Match
 * or the body) turns a concurrent edit into 409 instead of silently overwriting it. A patch that changes
 * nothing stores nothing and keeps the revision. Storage only (no device): saving to a phone is
 * lib/push saveDeviceConfig.
 */
export async function patchConfig(
  deviceId: string,
  patch: unknown,
  actor: string,
  expectedRevision?: number,
): Promise<{ values: MaskedConfigValues; revision: number; state: ConfigState; changed: string[] }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await load(tx, deviceId, true);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      throw new AppError("conflict", `The configuration was changed meanwhile (now revision ${current.revision}); reload and try again`);
    }
    const r = await applyPatch(tx, deviceId, current, patch, actor);
    if (!r.ok) throw validationFailed(r.fields, "Some configuration values are invalid; nothing was saved");
    return { values: maskSecrets(r.desired.values), revision: r.desired.revision, state: r.desired.state, changed: r.changed };
  });
}

export type AppliedPatch = { ok: true; desired: DesiredConfig; changed: string[] } | { ok: false; fields: Record<string, string> };

/**
 * The version of a device's stored config row as read: PostgreSQL's `xmin` (the transaction that wrote this row
 * version), which every write of the row changes. A write conditioned on it ("only if nobody wrote the row since I
 * read it") needs no transaction and no lock held across the caller's own work (lib/push's fast path).
 */
export const configRowVersion = sql<string | null>`${deviceConfigs}.xmin::text`;

/**
 * applyPatch without a transaction: stores the patch only if the config row is still the version `current` was
 * read at (`version`, see configRowVersion), in one statement that takes the device's lock first like every
 * config writer. `moved`: someone wrote the row meanwhile, nothing stored (the caller falls back to applyPatch in a
 * locked transaction). Returns the row's new version.
 */
export async function applyPatchIfUnchanged(
  db: DbOrTx,
  deviceId: string,
  current: DesiredConfig,
  version: string,
  patch: unknown,
  actor: string,
): Promise<(Extract<AppliedPatch, { ok: true }> & { version: string }) | Extract<AppliedPatch, { ok: false }> | { ok: false; moved: true }> {
  const result = validatePatch(current.values, patch);
  if (!result.ok) return { ok: false, fields: result.fields };
  const changed = Object.keys(result.changed);
  if (changed.length === 0) return { ok: true, desired: current, changed, version };
  const { now, next } = nextDesired(result.values, current, actor);
  const stored = await conditionalStores(db)({ deviceId, version, values: next.values, revision: next.revision, state: next.state, updatedAt: now.toISOString(), updatedBy: actor });
  if (stored === null) return { ok: false, moved: true };
  return { ok: true, desired: desiredAfter(current, result.values, now, actor), changed, version: stored };
}

interface ConditionalStore {
  deviceId: string;
  version: string;
  values: Record<string, unknown>;
  revision: number;
  state: ConfigState;
  updatedAt: string;
  updatedBy: string;
}

// The stores that arrive while one is in flight go out together (a bulk job's targets): one statement for the
// group, each row only if still at its version. The devices are locked in id order (every multi-device locker takes
// them in that order, and single-device writers hold one at a time). Answers each row's new version, or null.
// $1: the rows (JSON), $2: their device ids as an array — the planner takes jsonb_to_recordset for 100 rows and,
// given only that, scans whole tables.
const STORE_IF_UNCHANGED = `
  with v as (select * from jsonb_to_recordset($1::jsonb)
      as v("deviceId" uuid, version xid, "values" jsonb, revision int, state text, "updatedAt" timestamptz, "updatedBy" text)),
    d as materialized (select id from devices where id = any($2::uuid[]) order by id for no key update)
  update device_configs c set values = v."values", revision = v.revision, state = v.state, updated_at = v."updatedAt", updated_by = v."updatedBy"
  from v join d on d.id = v."deviceId"
  where c.device_id = any($2::uuid[]) and c.device_id = v."deviceId" and c.xmin = v.version
  returning c.device_id::text as id, c.xmin::text as version`;
const conditionalStoreBatchers = new WeakMap<DbOrTx, (s: ConditionalStore) => Promise<string | null>>();
function conditionalStores(db: DbOrTx) {
  let store = conditionalStoreBatchers.get(db);
  if (!store) {
    store = createBatcher(
      async (items: ConditionalStore[]) => {
        const rows = await executePrepared<{ id: string; version: string }>(db, "config_store_if_unchanged", STORE_IF_UNCHANGED, [
          JSON.stringify(items),
          `{${items.map((i) => i.deviceId).join(",")}}`,
        ]);
        const byId = new Map(rows.map((r) => [r.id, r.version]));
        return items.map((i) => byId.get(i.deviceId) ?? null);
      },
      { key: (i) => i.deviceId, retryAlone: serverRejected },
    );
    conditionalStoreBatchers.set(db, store);
  }
  return store;
}

/**
 * Validates `patch` against the merged config and stores it, inside the caller's transaction, on the desired config the caller loaded (locked) in it:
 * validate, store (revision + 1, pending_push) and audit. Invalid → `{ok: false}` with nothing stored (the
 * caller decides whether the rest of its transaction commits). Returns the desired config as now stored.
 */
export async function applyPatch(tx: DbOrTx, deviceId: string, current: DesiredConfig, patch: unknown, actor: string, options: { audit: boolean } = { audit: true }): Promise<AppliedPatch> {
  const result = validatePatch(current.values, patch);
  if (!result.ok) return { ok: false, fields: result.fields };
  const changed = Object.keys(result.changed);
  if (changed.length === 0) return { ok: true, desired: current, changed };
  const { now, next } = nextDesired(result.values, current, actor);
  await tx
    .insert(deviceConfigs)
    .values({ deviceId, ...next })
    .onConflictDoUpdate({ target: deviceConfigs.deviceId, set: next });
  // The audit trail names the changed keys with before/after values — never secret values.
  const shown = changed.filter((k) => !isSecretKey(k));
  const before = Object.fromEntries(shown.map((k) => [k, current.values[k] ?? null]));
  const after = Object.fromEntries(shown.map((k) => [k, result.values[k]]));
  if (options.audit) await audit(tx, { actor, action: "config.update", targetType: "device", targetId: deviceId, details: { revision: next.revision, changed, before, after } });
  return { ok: true, desired: desiredAfter(current, result.values, now, actor), changed };
}

/** The stored row members of a patched desired config (revision + 1, pending_push). */
function nextDesired(values: ConfigValues, current: DesiredConfig, actor: string) {
  const now = new Date();
  return { now, next: { values: sealSecrets(values), revision: current.revision + 1, state: "pending_push" as const, updatedAt: now, updatedBy: actor } };
}

const desiredAfter = (current: DesiredConfig, values: ConfigValues, now: Date, actor: string): DesiredConfig => ({
  ...current,
  values,
  revision: current.revision + 1,
  state: "pending_push",
  updatedAt: now.toISOString(),
  updatedBy: actor,
});
