// `npm run rekey` (scripts/rekey.ts): every secret the portal stores encrypted (lib/crypto) re-encrypted from the key
// in use to a new one, in ONE transaction — all or nothing. The places below are every column written through
// encryptSecret (a test scans the whole database for ciphertexts, so a new place cannot be forgotten silently).
//
// Safe to run again: a value that already opens with the new key is left as it is, so a run interrupted after its
// commit (before the key file was replaced, or before SECRET_KEY was changed) simply finishes. A value that opens
// with neither key stops the run with nothing changed: the "current" key is not the one the secrets were stored with.
import "server-only";
import { getTableName, sql, type Column } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { chmodSync, renameSync, writeFileSync } from "node:fs";
import { decryptWith, encryptWith, forgetKey, getKey, keyFingerprint, keySource } from "@/lib/crypto";
import { getDb, type Tx } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { applicationName, liveApplicationNames } from "@/lib/db/presence";
import { alertChannels, deviceConfigs, devices, users } from "@/lib/db/schema";
import { SECRET_KEYS, paramByKey } from "@/lib/params";

export class RekeyError extends Error {}

/** Text columns holding one ciphertext each, with a column that names the row in messages. */
const TEXT_SECRETS: Array<{ table: PgTable; id: Column; label: Column; columns: Array<{ column: Column; what: string }> }> = [
  {
    table: devices,
    id: devices.id,
    label: devices.name,
    columns: [
      { column: devices.passwordEnc, what: "device password" },
      { column: devices.provisioningPasswordEnc, what: "provisioning password" },
    ],
  },
  {
    table: users,
    id: users.id,
    label: users.username,
    columns: [
      { column: users.totpSecretEnc, what: "TOTP secret" },
      { column: users.totpPendingEnc, what: "TOTP secret being set up" },
    ],
  },
  { table: alertChannels, id: alertChannels.id, label: alertChannels.target, columns: [{ column: alertChannels.secretEnc, what: "webhook secret" }] },
];

/** jsonb columns of device_configs whose secret catalog keys (SIP passwords) are sealed (lib/config-store). */
const CONFIG_SECRETS: Array<{ column: Column; what: string }> = [
  { column: deviceConfigs.values, what: "desired config" },
  { column: deviceConfigs.baseline, what: "config last read" },
];

export interface RekeyResult {
  oldFingerprint: string;
  newFingerprint: string;
  /** Values re-encrypted, by what they are. */
  reencrypted: Record<string, number>;
  /** Values that already opened with the new key (a run finishing an interrupted one). */
  alreadyNew: number;
  /** The key file replaced (embedded mode), or null: SECRET_KEY is set, the operator changes it. */
  keyFile: string | null;
}

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;
const col = (c: Column) => sql.identifier(c.name);
const tbl = (t: PgTable) => sql.identifier(getTableName(t));

/** Re-encrypts every stored secret from the key in use to `next` (see the top of this file). */
export async function rekey(next: Buffer, actor = "rekey"): Promise<RekeyResult> {
  const old = getKey();
  const fp = { old: keyFingerprint(old), next: keyFingerprint(next) };
  const source = keySource();
  const result: RekeyResult = { oldFingerprint: fp.old, newFingerprint: fp.next, reencrypted: {}, alreadyNew: 0, keyFile: source.kind === "file" ? source.file : null };
  if (old.equals(next)) return result;

  const convert = (stored: string, where: string): string | null => {
    let plain: string;
    try {
      plain = decryptWith(old, stored);
    } catch {
      try {
        decryptWith(next, stored);
        result.alreadyNew++;
        return null;
      } catch {
        throw new RekeyError(
          `The ${where} opens neither with the current key (fingerprint ${fp.old}) nor with the new key (${fp.next}): ` +
            `${source.kind === "env" ? "SECRET_KEY" : source.file} is not the key the portal stored its secrets with. Nothing was changed.`,
        );
      }
    }
    return encryptWith(next, plain);
  };
  const count = (what: string) => (result.reencrypted[what] = (result.reencrypted[what] ?? 0) + 1);

  const db = await getDb();
  await db.transaction(async (tx: Tx) => {
    // A running portal keeps the old key in memory: it would write secrets the new key cannot open.
    const self = applicationName();
    const others = (await liveApplicationNames(tx)).filter((n) => n !== self);
    if (others.length) {
      throw new RekeyError(`${others.length} portal process(es) use this database (${others.join(", ")}): stop the portal and its workers first. Nothing was changed.`);
    }
    // Readers go on; writers wait until the commit.
    await tx.execute(sql.raw(`lock table ${[devices, users, alertChannels, deviceConfigs].map((t) => `"${getTableName(t)}"`).join(", ")} in exclusive mode`));

    for (const t of TEXT_SECRETS) {
      const cols = sql.join(t.columns.map((c) => col(c.column)), sql`, `);
      const found = rows<Record<string, string | null>>(await tx.execute(sql`select ${col(t.id)} as "$id", ${col(t.label)} as "$label", ${cols} from ${tbl(t.table)}`));
      for (const row of found) {
        const sets = [];
        for (const c of t.columns) {
          const stored = row[c.column.name];
          if (!stored) continue;
          const sealed = convert(stored, `${c.what} of ${JSON.stringify(row.$label)} (${getTableName(t.table)} ${row.$id})`);
          if (sealed === null) continue;
          sets.push(sql`${col(c.column)} = ${sealed}`);
          count(c.what);
        }
        if (sets.length) await tx.execute(sql`update ${tbl(t.table)} set ${sql.join(sets, sql`, `)} where ${col(t.id)} = ${row.$id}`);
      }
    }

    const configs = rows<Record<string, unknown> & { $id: string; $label: string }>(
      await tx.execute(sql`select c.${col(deviceConfigs.deviceId)} as "$id", d.${col(devices.name)} as "$label", ${sql.join(CONFIG_SECRETS.map((c) => sql`c.${col(c.column)}`), sql`, `)}
        from ${tbl(deviceConfigs)} c join ${tbl(devices)} d on d.${col(devices.id)} = c.${col(deviceConfigs.deviceId)}`),
    );
    for (const row of configs) {
      const sets = [];
      for (const c of CONFIG_SECRETS) {
        const values = row[c.column.name] as Record<string, unknown> | null;
        if (!values) continue;
        let changed = false;
        const out = { ...values };
        for (const k of SECRET_KEYS) {
          const stored = out[k];
          if (typeof stored !== "string" || stored === "") continue;
          const sealed = convert(stored, `${paramByKey(k)?.label ?? k} in the ${c.what} of ${JSON.stringify(row.$label)} (device ${row.$id})`);
          if (sealed === null) continue;
          out[k] = sealed;
          changed = true;
          count(`SIP password (${c.what})`);
        }
        if (changed) sets.push(sql`${col(c.column)} = ${JSON.stringify(out)}::jsonb`);
      }
      if (sets.length) await tx.execute(sql`update ${tbl(deviceConfigs)} set ${sql.join(sets, sql`, `)} where ${col(deviceConfigs.deviceId)} = ${row.$id}`);
    }

    await audit(tx, {
      actor,
      action: "secrets.rekey",
      details: { oldFingerprint: fp.old, newFingerprint: fp.next, reencrypted: result.reencrypted, alreadyNew: result.alreadyNew },
    });
  });

  // After the commit: the database now needs the new key. A crash right here leaves the old key file; running
  // rekey again finds every value already under the new key and only replaces the file.
  if (source.kind === "file") {
    const tmp = `${source.file}.new`;
    writeFileSync(tmp, next.toString("hex") + "\n", { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, source.file);
  }
  forgetKey();
  return result;
}
