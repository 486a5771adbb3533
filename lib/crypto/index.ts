import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db";
import { env as readEnv } from "@/lib/env";

// Device credentials at rest: AES-256-GCM, stored as "v1:" + base64(iv | tag | ciphertext).
// `npm run rekey` (lib/crypto/rekey.ts) re-encrypts every stored secret under a new key.
const PREFIX = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Parses a 32-byte key written as 64 hex digits or as base64/base64url. */
export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (key.length !== 32) {
    throw new Error("SECRET_KEY must be 32 bytes, written as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)");
  }
  return key;
}

function loadOrCreateKeyFile(file: string): Buffer {
  try {
    return parseKey(readFileSync(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`Cannot use the key in ${file}: ${(err as Error).message}`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": never overwrite a key another process just wrote, it would make its ciphertexts unreadable.
    writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  chmodSync(file, 0o600);
  return parseKey(readFileSync(file, "utf8"));
}

let cached: { source: string; key: Buffer } | undefined;

/** Where the key comes from: `SECRET_KEY`, or (embedded mode) the key file in DATA_DIR. */
export function keySource(): { kind: "env" } | { kind: "file"; file: string } {
  return readEnv().SECRET_KEY ? { kind: "env" } : { kind: "file", file: path.join(dataDir(), "secret.key") };
}

/**
 * The encryption key: `SECRET_KEY`, or in the embedded mode a key generated once into `${DATA_DIR}/secret.key`.
 * With `DATABASE_URL` several processes share the data, so they must share the key: `SECRET_KEY` is required.
 */
export function getKey(): Buffer {
  const { SECRET_KEY: env, DATABASE_URL } = readEnv();
  const file = path.join(dataDir(), "secret.key");
  const source = env ? `env:${env}` : `file:${file}`;
  if (!env && DATABASE_URL) {
    throw new Error("SECRET_KEY is required when DATABASE_URL is set (every portal process must use the same key)");
  }
  if (cached?.source === source) return cached.key;
  const key = env ? parseKey(env) : loadOrCreateKeyFile(file);
  cached = { source, key };
  return key;
}

/** Forgets the key read last (the key file was just replaced by `npm run rekey`). */
export function forgetKey(): void {
  cached = undefined;
}

/** sha256 of a key, first 16 hex digits: says which key, reveals nothing usable (backups, rekey). */
export function keyFingerprint(key: Buffer = getKey()): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export function encryptWith(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

export function decryptWith(key: Buffer, stored: string): string {
  if (!stored.startsWith(PREFIX)) throw new Error("Unknown secret format (expected v1:)");
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("Encrypted secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  // final() throws when the tag does not match: wrong key or tampered data.
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

export const encryptSecret = (plain: string): string => encryptWith(getKey(), plain);
export const decryptSecret = (stored: string): string => decryptWith(getKey(), stored);
