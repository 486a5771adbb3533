// Settings of the network side (registrars, proxy health, alerts, metrics), parsed once with zod. Until the
// project-wide lib/env.ts exists this is the only place these variables are read.
import { z } from "zod";

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));

const schema = z.object({
  /** Seconds between SIP OPTIONS probes of every proxy (issue 14: default 10). */
  PROXY_PROBE_INTERVAL_S: seconds(10),
  /** Deadline of one probe transaction (RFC 3261 retransmissions inside it), ms. */
  PROXY_PROBE_TIMEOUT_MS: z.coerce.number().int().min(100).default(4000),
  /** Seconds between reads of each registrar's bindings. */
  REGISTRAR_POLL_INTERVAL_S: seconds(10),
  /** A device unreachable this long raises device.unreachable. */
  ALERT_UNREACHABLE_AFTER_S: seconds(300),
  /** Device alerts of one kind that come within this window are sent together; more than ALERT_SUMMARY_OVER become one summary. */
  ALERT_BATCH_WINDOW_S: seconds(2),
  ALERT_SUMMARY_OVER: z.coerce.number().int().min(1).default(10),
  /** SMTP server for e-mail alerts, e.g. smtp://user:pass@mail.example.com:587 ; unset = no e-mail. */
  SMTP_URL: optionalText,
  ALERT_EMAIL_FROM: z.string().trim().default("SIP Admin Portal <alerts@localhost>"),
  /** Bearer token a Prometheus scraper may present at /metrics (besides a signed-in session). */
  METRICS_TOKEN: optionalText,
  /** PROXY_PROBE=off / REGISTRARS=off / ALERTS=off keep a process from that work. */
  PROXY_PROBE: z.enum(["on", "off"]).default("on"),
  REGISTRARS: z.enum(["on", "off"]).default("on"),
  ALERTS: z.enum(["on", "off"]).default("on"),
});

export type NetworkEnv = z.infer<typeof schema>;

let cached: NetworkEnv | null = null;

/** The parsed settings; a bad value throws at first use, naming the variable. */
export function networkEnv(): NetworkEnv {
  if (cached) return cached;
  const keys = Object.keys(schema.shape) as (keyof NetworkEnv)[];
  const raw = Object.fromEntries(keys.map((k) => [k, process.env[k] === "" ? undefined : process.env[k]]));
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`Invalid environment: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  cached = r.data;
  return cached;
}

/** Tests change the environment between files. */
export function resetNetworkEnv(): void {
  cached = null;
}
