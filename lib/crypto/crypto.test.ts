import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDataDir } from "@/tests/support/db";
import { decryptSecret, encryptSecret, getKey, parseKey } from "./index";

const data = useTempDataDir({ database: false });

describe("device credential encryption", () => {
  it("generates the key once into DATA_DIR/secret.key (0600) and reuses it", () => {
    const key = getKey();
    const file = path.join(data.dir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseKey(readFileSync(file, "utf8")).equals(key)).toBe(true);
    expect(getKey().equals(key)).toBe(true);
  });

  it("round-trips, and the ciphertext neither contains the plain text nor repeats", () => {
    const a = encryptSecret("s3cret-pass");
    const b = encryptSecret("s3cret-pass");
    expect(a).not.toContain("s3cret-pass");
    expect(a).not.toBe(b); // fresh IV each time
    expect(decryptSecret(a)).toBe("s3cret-pass");
  });

  it("detects tampering and a wrong key", () => {
    const c = encryptSecret("hello");
    const raw = Buffer.from(c.slice(3), "base64");
    raw[raw.length - 1] ^= 1;
    expect(() => decryptSecret("v1:" + raw.toString("base64"))).toThrow();
    process.env.SECRET_KEY = "ab".repeat(32);
    try {
      expect(() => decryptSecret(c)).toThrow();
    } finally {
      delete process.env.SECRET_KEY;
    }
  });

  it("accepts SECRET_KEY as hex or base64 and rejects other lengths", () => {
    const hex = "0f".repeat(32);
    expect(parseKey(hex).length).toBe(32);
    expect(parseKey(Buffer.from(hex, "hex").toString("base64")).equals(parseKey(hex))).toBe(true);
    expect(() => parseKey("abcd")).toThrow(/32 bytes/);
  });

  it("requires SECRET_KEY when DATABASE_URL is set", () => {
    process.env.DATABASE_URL = "postgres://127.0.0.1:1/none";
    try {
      expect(() => getKey()).toThrow(/SECRET_KEY is required/);
    } finally {
      delete process.env.DATABASE_URL;
    }
  });
});
