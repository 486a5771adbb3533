import { AppError } from "@/lib/errors";
import { handler, json, userOf } from "@/lib/api/handler";
import { importDevicesCsv } from "@/lib/inventory/csv";

const MAX_BYTES = 10 * 1024 * 1024;

export const POST = handler(
  async (req, ctx) => {
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > MAX_BYTES) throw new AppError("payload_too_large", "The CSV file can be at most 10 MB");
    const text = await req.text();
    if (text.length > MAX_BYTES) throw new AppError("payload_too_large", "The CSV file can be at most 10 MB");
    if (!text.trim()) throw new AppError("bad_request", "The request body must be the CSV file (text/csv)");
    return json(await importDevicesCsv(text, userOf(ctx).username));
  },
  { auth: "admin" },
);
