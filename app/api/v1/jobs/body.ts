// Shared body parsing of the jobs routes.
import "server-only";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/api/handler";

export async function readObject(req: Request): Promise<Record<string, unknown>> {
  const body = await readJson(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("bad_request", "The request body must be a JSON object");
  return body as Record<string, unknown>;
}
