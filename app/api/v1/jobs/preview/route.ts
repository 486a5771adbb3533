import { handler, json } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { previewSelection, selectionOf } from "@/lib/jobs";
import { readObject } from "../body";

export const POST = handler(async (req) => {
  const body = await readObject(req);
  return json(await previewSelection(await getDb(), selectionOf(body), body.values));
});
