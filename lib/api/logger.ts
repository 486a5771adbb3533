import "server-only";
import pino from "pino";

/** Structured JSON logs on stdout; `LOG_LEVEL` overrides the level (tests keep it quiet). */
export const logger = pino({
  name: "portal",
  level: process.env.LOG_LEVEL || (process.env.VITEST ? "silent" : "info"),
});
