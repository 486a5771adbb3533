// A process that opens the embedded database of DATA_DIR the way the portal does, says "ready", and waits to be
// killed (lib/db/db.test.ts SIGKILLs it to leave a server running without its portal).
import { databaseInfo, getDb } from "../../lib/db/index";

getDb().then(
  async () => {
    process.stdout.write(`ready ${JSON.stringify(await databaseInfo())}\n`);
    setInterval(() => {}, 60_000);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
