import { readText } from "@/lib/api/body";
import { AppError } from "@/lib/errors";
import { handler, json, userOf } from "@/lib/api/handler";
import { importDevicesCsv } from "@/lib/inventory/csv";

// The body limit (BODY_LIMIT_IMPORT, 8 MB) is enforced on the stream by readText: 413 and nothing imported.
export const POST = handler(
  async (req, ctx) => {
    const text = await readText(req);
    if (!text.trim()) throw new AppError("bad_request", "The request body must be the CSV file (text/csv)");
    return json(await importDevicesCsv(text, userOf(ctx).username));
  },
  { auth: "admin", body: "import" },
);
