// `npm run backup -- FILE` / `npm run restore -- FILE` (lib/backup): the portal's database (embedded in DATA_DIR,
// or DATABASE_URL) to one file and back. Run by Node with scripts/support/server-process.cjs preloaded.
import { BackupError, backup, restore } from "@/lib/backup";
import { closeDb, connectionUrl, dataDir } from "@/lib/db";
import { stopEmbedded } from "@/lib/db/embedded";

async function main(): Promise<number> {
  const [cmd, file] = process.argv.slice(2);
  if ((cmd !== "backup" && cmd !== "restore") || !file) {
    console.error("usage: npm run backup -- FILE | npm run restore -- FILE");
    return 2;
  }
  try {
    if (cmd === "backup") {
      const h = await backup(file);
      console.log(`backup written to ${file} (PostgreSQL ${h.server}, key fingerprint ${h.keyFingerprint})`);
    } else {
      const h = await restore(file);
      console.log(`restored ${file} (made ${h.createdAt}); start the portal to use it`);
    }
    return 0;
  } catch (err) {
    console.error(err instanceof BackupError ? err.message : err);
    return 1;
  } finally {
    await closeDb();
    // restore opens no pool; stop the embedded server it may have started (unless something else uses it)
    if (!process.env.DATABASE_URL) await connectionUrl().then(() => stopEmbedded(dataDir())).catch(() => {});
  }
}

main().then((code) => process.exit(code));
