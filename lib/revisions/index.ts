// Revisions (config snapshots), restore of one as a new push, and config.cfg backup/restore (issue 5).
// Snapshots are written by lib/push on every successful push/sync; this module reads them and turns a restore
// or an uploaded file into an ordinary push, so both get the push pipeline's checks and recording.
import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { AppError, notFound } from "@/lib/errors";
import { getDesiredConfig, getPublicConfig } from "@/lib/config-store";
import { diffConfig, fieldErrorsToRows, parseCfg, serializeCfg, type CfgRowError } from "@/lib/config-file";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { configSnapshots } from "@/lib/db/schema";
import { DeviceError } from "@/lib/device";
import { getDevice } from "@/lib/inventory/devices";
import { EDITABLE_PARAMS, validatePatch, type ConfigValues } from "@/lib/params";
import { pushError, pushDeviceConfig } from "@/lib/push";
import { deviceClientFor } from "@/lib/push/device";
import { screenDeviceValues } from "@/lib/push/logic";

export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface RevisionSummary {
  id: number;
  at: string;
  actor: string;
  source: string;
  deviceRevision: number | null;
  changes: Changes;
  jobId: string | null;
  note: string | null;
}

export interface Revision extends RevisionSummary {
  /** Full config as the device held it (secrets masked). */
  values: Record<string, string | number>;
}

type Row = typeof configSnapshots.$inferSelect;

function summary(r: Row): RevisionSummary {
  return { id: r.id, at: r.at.toISOString(), actor: r.actor, source: r.source, deviceRevision: r.deviceRevision, changes: r.changes, jobId: r.jobId, note: r.note };
}

/** Newest first. Throws 404 for an unknown device. */
export async function listRevisions(deviceId: string, limit = 200): Promise<RevisionSummary[]> {
  await getDevice(deviceId);
  const db = await getDb();
  const rows = await db
    .select()
    .from(configSnapshots)
    .where(eq(configSnapshots.deviceId, deviceId))
    .orderBy(desc(configSnapshots.at), desc(configSnapshots.id))
    .limit(limit);
  return rows.map(summary);
}

export async function getRevision(deviceId: string, revisionId: string): Promise<Revision> {
  await getDevice(deviceId);
  if (!/^\d{1,15}$/.test(revisionId)) throw notFound("Revision");
  const db = await getDb();
  const [row] = await db
    .select()
    .from(configSnapshots)
    .where(and(eq(configSnapshots.deviceId, deviceId), eq(configSnapshots.id, Number(revisionId))));
  if (!row) throw notFound("Revision");
  return { ...summary(row), values: row.values as Record<string, string | number> };
}

const RESTORABLE = EDITABLE_PARAMS.filter((p) => !p.secret).map((p) => p.key);

/**
 * The values a restore sends: the snapshot's editable, non-secret values (secrets were never stored). The
 * push merges them into the desired config, validates that with the catalog (inapplicable keys are dropped)
 * and sends only the keys where the device differs.
 */
export function restoreValues(snapshot: Record<string, unknown>): ConfigValues {
  const out: ConfigValues = {};
  for (const k of RESTORABLE) {
    const v = snapshot[k];
    if (typeof v === "string" || typeof v === "number") out[k] = v;
  }
  return out;
}

/** Restores a revision as a new push (source "restore"). Failures throw the push's AppError (422/409/502/504). */
export async function restoreRevision(deviceId: string, revisionId: string, actor: string) {
  const revision = await getRevision(deviceId, revisionId);
  const pushed = await pushDeviceConfig({ deviceId, changes: restoreValues(revision.values), actor, source: "restore" });
  const db = await getDb();
  if (!pushed.ok) {
    await audit(db, {
      actor,
      action: "config.restore",
      targetType: "device",
      targetId: deviceId,
      details: { revisionId: revision.id, result: "failed", error: { code: pushed.error.code, message: pushed.error.message, fields: pushed.error.fields ?? null } },
    });
    throw pushError(pushed.error);
  }
  await db.transaction(async (tx) => {
    // The new snapshot says where it came from (a no-op push may have reused an older snapshot: leave that one).
    if (!pushed.noop) await tx.update(configSnapshots).set({ note: `Restored revision #${revision.id}` }).where(eq(configSnapshots.id, pushed.snapshotId));
    await audit(tx, {
      actor,
      action: "config.restore",
      targetType: "device",
      targetId: deviceId,
      details: { revisionId: revision.id, result: pushed.noop ? "noop" : "applied", deviceRevision: pushed.deviceRevision, before: pushed.before, after: pushed.after },
    });
  });
  const c = await getPublicConfig(deviceId);
  return { values: c.values, revision: c.revision, deviceRevision: c.deviceRevision, state: c.state, push: pushed };
}

/** A file name made of the device name: letters, digits, dot, dash and underscore only. */
export function cfgFileName(deviceName: string): string {
  const base = deviceName.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, 80) || "device";
  return `${base}-config.cfg`;
}

/** The device's current config, read live, as config.cfg text (secrets masked). */
export async function renderConfigCfg(deviceId: string): Promise<{ text: string; fileName: string }> {
  const device = await getDevice(deviceId);
  try {
    const live = await (await deviceClientFor(deviceId)).getConfig();
    // A value the phone reports that the catalog refuses never goes into a file (it could break the format).
    const { valid, invalid } = screenDeviceValues(live.values);
    const header = [
      `Spider MT505 configuration of ${device.name} (${device.address})`,
      `Device revision ${live.revision}, read ${new Date().toISOString()}`,
      "Secrets are masked (********): restoring this file keeps the device's stored password.",
      ...Object.keys(invalid).map((k) => `Left out: ${k} (the phone reports an invalid value)`),
    ];
    return { text: serializeCfg(valid, header), fileName: cfgFileName(device.name) };
  } catch (e) {
    if (e instanceof DeviceError) throw pushError({ code: e.code, message: e.message, retryable: e.retryable });
    throw e;
  }
}

export interface CfgPreview {
  /** What pushing the file would change in the desired config: {key: {from, to}}; empty when there are errors. */
  diff: Changes;
  errors?: CfgRowError[];
}

/** Most configs are ~3 KB; anything far larger is not a config file. */
export const MAX_CFG_BYTES = 256 * 1024;

/**
 * Parses and validates an uploaded config.cfg against the device's desired config (catalog rules on the merged
 * result). Stores and pushes nothing: the browser shows the diff and pushes it through the config PATCH.
 */
export async function previewConfigCfg(deviceId: string, text: string): Promise<CfgPreview> {
  if (Buffer.byteLength(text) > MAX_CFG_BYTES) throw new AppError("payload_too_large", `A config file may be at most ${MAX_CFG_BYTES / 1024} KB`);
  const desired = await getDesiredConfig(deviceId);
  const parsed = parseCfg(text);
  const checked = validatePatch(desired.values, parsed.values);
  const errors = [...parsed.errors, ...(checked.ok ? [] : fieldErrorsToRows(checked.fields, parsed.lines))].sort((a, b) => a.line - b.line);
  if (errors.length) return { diff: {}, errors };
  return { diff: checked.ok ? diffConfig(desired.values, checked.changed) : {} };
}
