import { AppError } from "@/lib/errors";
import { handler, json } from "@/lib/api/handler";
import { getDb } from "@/lib/db";
import { commonValues, selectionOf } from "@/lib/jobs";
import { readObject } from "../body";

export const POST = handler(async (req) => {
  const body = await readObject(req);
  const keys = body.keys;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === "string")) throw new AppError("validation_failed", "keys must be a list of parameter keys", { fields: { keys: "Must be a list of parameter keys" } });
  return json(await commonValues(await getDb(), selectionOf(body), keys));
});
