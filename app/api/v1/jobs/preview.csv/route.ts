import { handler } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { previewCsv, previewSelection, selectionOf } from "@/lib/jobs";
import { readObject } from "../body";

export const POST = handler(async (req) => {
  const body = await readObject(req);
  const csv = previewCsv(await previewSelection(await getDb(), selectionOf(body), body.values));
  return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="bulk-preview.csv"' } });
});
