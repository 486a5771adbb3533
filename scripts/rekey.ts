// `npm run rekey -- --new-key-file FILE` (lib/crypto/rekey): re-encrypts every stored secret from the key in use
// (SECRET_KEY, or DATA_DIR/secret.key in the embedded mode) to the key in FILE (64 hex digits or base64, e.g.
// `openssl rand -hex 32 > FILE`), in one transaction. Run it with the portal and its workers stopped.
import { readFileSync } from "node:fs";
import { parseKey } from "@/lib/crypto";
import { RekeyError, rekey } from "@/lib/crypto/rekey";
import { closeDb, connectionUrl, dataDir } from "@/lib/db";
import { stopEmbedded } from "@/lib/db/embedded";

const USAGE = "usage: npm run rekey -- --new-key-file FILE   (FILE holds the new key: `openssl rand -hex 32`)";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const i = args.indexOf("--new-key-file");
  const file = i >= 0 ? args[i + 1] : undefined;
  if (!file || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  let next: Buffer;
  try {
    next = parseKey(readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`Cannot use the new key in ${file}: ${(err as Error).message.replace(/^SECRET_KEY/, "the key")}`);
    return 2;
  }
  try {
    const r = await rekey(next);
    if (r.oldFingerprint === r.newFingerprint) {
      console.log(`The new key (fingerprint ${r.newFingerprint}) is the key in use already: nothing to do.`);
      return 0;
    }
    const counts = Object.entries(r.reencrypted).map(([what, n]) => `${n} ${what}`);
    console.log(`Re-encrypted ${counts.length ? counts.join(", ") : "no secrets (none stored)"}${r.alreadyNew ? `; ${r.alreadyNew} already under the new key` : ""}.`);
    console.log(`Key fingerprint ${r.oldFingerprint} → ${r.newFingerprint}.`);
    if (r.keyFile) console.log(`The new key replaced ${r.keyFile}; delete ${file} or keep it somewhere safe.`);
    else console.log("Now set SECRET_KEY to the new key for every portal process and worker, then start them.");
    console.log(`Backups made before now carry fingerprint ${r.oldFingerprint}: restore one with the old key, then run rekey again.`);
    return 0;
  } catch (err) {
    console.error(err instanceof RekeyError ? err.message : err);
    return 1;
  } finally {
    await closeDb();
    if (!process.env.DATABASE_URL) await connectionUrl().then(() => stopEmbedded(dataDir())).catch(() => {});
  }
}

main().then((code) => process.exit(code));
