// SECRET_KEY rotation (issue 13, `npm run rekey`, lib/crypto/rekey): against the real PostgreSQL of the test run,
// with a secret of every kind stored through the product's own paths (device password, per-device provisioning
// password, SIP password in the desired config and in the config last read, TOTP secret on and being set up, webhook
// secret). The whole database is scanned for ciphertexts, so a secret stored somewhere rekey does not know fails here.
// After a rekey the portal with the new key reads every secret, the old key opens none, a wrong "current" key is
// refused with nothing changed, a second run is harmless, a live portal process blocks it, and backups carry the new
// key's fingerprint. The last case runs `npm run rekey` itself in the embedded mode (key file in DATA_DIR).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, describe, expect, it } from "vitest";
import * as totp from "@/app/api/v1/account/totp/route";
import * as confirm from "@/app/api/v1/account/totp/confirm/route";
import { createUser, login } from "@/lib/auth";
import { channelsById, insertChannel } from "@/lib/alerts/store";
import { backup } from "@/lib/backup";
import { getDesiredConfig, patchConfig, sealSecrets } from "@/lib/config-store";
import { decryptWith, forgetKey, getKey, keyFingerprint, parseKey } from "@/lib/crypto";
import { RekeyError, rekey } from "@/lib/crypto/rekey";
import { closeDb, getDb } from "@/lib/db";
import { deviceConfigs, devices } from "@/lib/db/schema";
import { credentialsOf, getDeviceCredentials, insertDevices, provisioningCredentialsOf } from "@/lib/inventory/devices";
import { defaultConfig } from "@/lib/params";
import { call } from "@/tests/support/api";
import { rowsOf } from "@/tests/support/db";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const SIP_PASSWORD = "voip/line/0/auth_password";
const work = mkdtempSync(path.join(tmpdir(), "sap-rekey-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every ciphertext anywhere in the database (any text or jsonb column of any table), with where it is. */
async function ciphertexts(): Promise<Map<string, string>> {
  const db = await getDb();
  const cols = rowsOf<{ t: string; c: string }>(
    await db.execute(sql`select table_name as t, column_name as c from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'ARRAY', 'character varying')`),
  );
  const found = new Map<string, string>();
  for (const { t, c } of cols) {
    const hits = rowsOf<{ v: string }>(await db.execute(sql`select ${sql.identifier(c)}::text as v from ${sql.identifier(t)} where ${sql.identifier(c)}::text like '%v1:%'`));
    for (const { v } of hits) for (const m of v.matchAll(/v1:[A-Za-z0-9+/]{20,}={0,2}/g)) found.set(m[0], `${t}.${c}`);
  }
  return found;
}

const opens = (key: Buffer, stored: string) => {
  try {
    decryptWith(key, stored);
    return true;
  } catch {
    return false;
  }
};

const useKey = (key: Buffer) => {
  process.env.SECRET_KEY = key.toString("hex");
  forgetKey();
};

let deviceId = "";
let channelId = "";
let totpSecret = "";
let oldKey: Buffer;
const newKey = randomBytes(32);

describe("npm run rekey", () => {
  it("stores a secret of every kind (the scan sees each one, all under the current key)", async () => {
    oldKey = getKey();
    const db = await getDb();
    const [d] = await db.transaction((tx) =>
      insertDevices(tx, [
        { name: "rk-phone", address: "127.68.9.1:8080", site: "", tags: [], username: "admin", password: "device-canary", driver: "provisioning", mac: "00a0c6112233", provisioningUsername: "rk", provisioningPassword: "prov-canary" },
      ]),
    );
    deviceId = d.id;
    await patchConfig(deviceId, { [SIP_PASSWORD]: "sip-canary" }, "root");
    await db.update(deviceConfigs).set({ baseline: sealSecrets({ ...defaultConfig(), [SIP_PASSWORD]: "baseline-canary" }) }).where(eq(deviceConfigs.deviceId, deviceId));
    channelId = (await insertChannel(db, { kind: "webhook", target: "http://127.68.9.2:9/hook", secret: "webhook-canary", events: [], site: null, tag: null }, "root")).id;
    // root: TOTP on; vera: a set-up pending.
    totpSecret = (await call(totp.POST, "POST", "/account/totp", { token: f.admin })).body.secret;
    const code = await generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) - 30 });
    expect((await call(confirm.POST, "POST", "/account/totp/confirm", { token: f.admin, body: { code } })).status).toBe(200);
    expect((await call(totp.POST, "POST", "/account/totp", { token: f.viewer })).status).toBe(200);

    const found = await ciphertexts();
    expect([...found.values()].sort()).toEqual(
      [
        "alert_channels.secret_enc",
        "device_configs.baseline",
        "device_configs.values",
        "devices.password_enc",
        "devices.provisioning_password_enc",
        "users.totp_pending_enc",
        "users.totp_secret_enc",
      ].sort(),
    );
    for (const c of found.keys()) expect(opens(oldKey, c)).toBe(true);
  });

  it("refuses while another portal process is connected, changing nothing", async () => {
    const { Client } = await import("pg");
    const portal = new Client({ connectionString: process.env.DATABASE_URL, application_name: "sap/web/999999/pj/0/elsewhere" });
    await portal.connect();
    try {
      const before = await ciphertexts();
      await expect(rekey(newKey)).rejects.toThrow(/1 portal process\(es\) use this database \(sap\/web\/999999\/pj\/0\/elsewhere\): stop the portal and its workers first\. Nothing was changed\./);
      expect(await ciphertexts()).toEqual(before);
    } finally {
      await portal.end();
    }
  });

  it("refuses a wrong current key with a clear message, changing nothing", async () => {
    const before = await ciphertexts();
    const wrong = randomBytes(32);
    useKey(wrong);
    const err = await rekey(newKey).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RekeyError);
    expect((err as Error).message).toMatch(
      new RegExp(`opens neither with the current key \\(fingerprint ${keyFingerprint(wrong)}\\) nor with the new key \\(${keyFingerprint(newKey)}\\): SECRET_KEY is not the key the portal stored its secrets with\\. Nothing was changed\\.`),
    );
    expect(await ciphertexts()).toEqual(before);
    useKey(oldKey);
  });

  it("re-encrypts every secret in one go; the portal with the new key reads them all, the old key opens none", async () => {
    const before = await ciphertexts();
    const r = await rekey(newKey);
    expect(r).toEqual({
      oldFingerprint: keyFingerprint(oldKey),
      newFingerprint: keyFingerprint(newKey),
      reencrypted: {
        "device password": 1,
        "provisioning password": 1,
        "TOTP secret": 1,
        "TOTP secret being set up": 1,
        "webhook secret": 1,
        "SIP password (desired config)": 1,
        "SIP password (config last read)": 1,
      },
      alreadyNew: 0,
      keyFile: null,
    });
    const after = await ciphertexts();
    expect(after.size).toBe(before.size);
    for (const c of after.keys()) {
      expect(before.has(c)).toBe(false);
      expect(opens(newKey, c)).toBe(true);
      expect(opens(oldKey, c)).toBe(false);
    }

    useKey(newKey);
    const db = await getDb();
    const [row] = await db.select().from(devices).where(eq(devices.id, deviceId));
    expect((await getDeviceCredentials(deviceId)).password).toBe("device-canary");
    expect(provisioningCredentialsOf(row)).toEqual({ username: "rk", password: "prov-canary" });
    const desired = await getDesiredConfig(deviceId);
    expect(desired.values[SIP_PASSWORD]).toBe("sip-canary");
    expect(desired.baseline?.[SIP_PASSWORD]).toBe("baseline-canary");
    expect((await channelsById(db, [channelId])).get(channelId)?.secret).toBe("webhook-canary");
    // TOTP: the right password plus a code from the same secret signs in (it was decrypted with the new key).
    expect(await login("root", "root-password", await generate({ secret: totpSecret }))).toMatchObject({ user: { username: "root" } });

    // The old key is refused: what the portal would read with it fails instead of returning garbage.
    useKey(oldKey);
    await expect(getDeviceCredentials(deviceId)).rejects.toThrow();
    expect(() => credentialsOf(row)).toThrow();
    await expect(getDesiredConfig(deviceId)).rejects.toThrow();
  });

  it("a second run (SECRET_KEY not switched yet, as after an interrupted rotation) finds everything done and changes nothing", async () => {
    useKey(oldKey);
    const before = await ciphertexts();
    const r = await rekey(newKey);
    expect(r.reencrypted).toEqual({});
    expect(r.alreadyNew).toBe(7);
    expect(await ciphertexts()).toEqual(before);
    // With the new key in place the run has nothing to do.
    useKey(newKey);
    expect((await rekey(newKey)).reencrypted).toEqual({});
  });

  it("backups made afterwards carry the new key's fingerprint (restore checks it)", async () => {
    useKey(newKey);
    const header = await backup(path.join(work, "after.backup"));
    expect(header.keyFingerprint).toBe(keyFingerprint(newKey));
  });

  it("`npm run rekey -- --new-key-file` in the embedded mode re-encrypts and replaces DATA_DIR/secret.key (0600)", async () => {
    await closeDb();
    const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR, SECRET_KEY: process.env.SECRET_KEY };
    try {
      delete process.env.DATABASE_URL;
      delete process.env.SECRET_KEY;
      process.env.DATA_DIR = path.join(work, "embedded");
      forgetKey();
      const first = getKey(); // generated into DATA_DIR/secret.key
      const db = await getDb();
      const [d] = await db.transaction((tx) => insertDevices(tx, [{ name: "rk-embedded", address: "127.68.9.3:8080", site: "", tags: [], username: "admin", password: "embedded-canary" }]));
      await closeDb(); // the CLI must be the only process on this database

      const keyFile = path.join(work, "new.key");
      const next = randomBytes(32);
      writeFileSync(keyFile, next.toString("hex") + "\n", { mode: 0o600 });
      const run = (args: string[]) =>
        spawnSync("npm", ["run", "--silent", "rekey", "--", ...args], { cwd: process.cwd(), env: { ...process.env }, encoding: "utf8", timeout: 170_000 });
      const bad = run(["--new-key-file", path.join(work, "missing.key")]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/Cannot use the new key in .*missing\.key/);
      const ok = run(["--new-key-file", keyFile]);
      expect(ok.stderr).toBe("");
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain("Re-encrypted 1 device password.");
      expect(ok.stdout).toContain(`Key fingerprint ${keyFingerprint(first)} → ${keyFingerprint(next)}.`);
      const stored = path.join(process.env.DATA_DIR, "secret.key");
      expect(parseKey(readFileSync(stored, "utf8")).equals(next)).toBe(true);
      expect(statSync(stored).mode & 0o777).toBe(0o600);

      forgetKey();
      expect((await getDeviceCredentials(d.id)).password).toBe("embedded-canary");
      await closeDb();
      // Run again: the key file already holds the new key.
      const again = run(["--new-key-file", keyFile]);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain("is the key in use already: nothing to do");
    } finally {
      await closeDb();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      forgetKey();
    }
  }, 240_000);
});
