import "server-only";
import { logger } from "@/lib/api/logger";
import { getKey } from "@/lib/crypto";
import { databaseInfo, getDb } from "@/lib/db";
import { ensureFirstAdmin } from "./users";

/** Server start: migrations (on open), encryption key present (generated once), first admin. */
export async function startServer(): Promise<void> {
  await getDb();
  getKey();
  await ensureFirstAdmin();
  logger.info({ db: await databaseInfo() }, "database ready");
}
