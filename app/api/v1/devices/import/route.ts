import { readText } from "@/lib/api/body";
import { AppError } from "@/lib/errors";
import { handler, json, userOf } from "@/lib/api/handler";
import { importDevicesCsv } from "@/lib/inventory/csv";
import { configReader } from "@/lib/push";

// The body limit (BODY_LIMIT_IMPORT, 8 MB) is enforced on the stream by readText: 413 and nothing imported.
export const POST = handler(
  async (req, ctx) => {
    const text = await readText(req);
    if (!text.trim()) throw new AppError("bad_request", "The request body must be the CSV file (text/csv)");
    const { created, ids } = await importDevicesCsv(text, userOf(ctx).username);
    // First contact without a visit: the new phones are read in the background at once (bounded concurrency).
    void configReader().readSoon(ids);
    return json({ created });
  },
  { auth: "admin", body: "import" },
);
