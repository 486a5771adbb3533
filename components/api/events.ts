"use client";
// Server-Sent Events from the portal: each message's JSON parsed by the event's zod schema, never cast.
import type { z } from "zod";

/** An SSE message's JSON parsed by `schema`; null when it is not valid JSON or not of that shape. */
export function parseEvent<S extends z.ZodType>(schema: S, message: Event): z.output<S> | null {
  if (!(message instanceof MessageEvent) || typeof message.data !== "string") return null;
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
