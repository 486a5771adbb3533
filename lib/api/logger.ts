import "server-only";
import pino from "pino";
import { env } from "@/lib/env";

/** Structured JSON logs on stdout; `LOG_LEVEL` overrides the level (tests keep it quiet). */
export const logger = pino({
  name: "portal",
  level: env().LOG_LEVEL ?? (env().VITEST ? "silent" : "info"),
});
