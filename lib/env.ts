// The portal's environment, parsed once with zod: every variable the portal reads is declared here, and a bad
// value stops the start naming the variable (instead of NaN or a silent fallback somewhere deep inside).
// Nothing else reads process.env. Add new variables to `schema` below (with their default and a one-line why).
import "server-only";
import { z } from "zod";
import { MAX_STATUS_WAIT_S } from "@/lib/device/limits";
import { parseNetworks } from "@/lib/net/networks";
import { PROCESS_KINDS } from "@/lib/states";

// An empty variable (`FOO=`) means "not set", as shells and .env files commonly write it.
const unset = (v: unknown) => (v === "" ? undefined : v);

const positiveInt = (fallback: number) =>
  z.preprocess(unset, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").positive("must be greater than 0").default(fallback));
const nonNegativeInt = (fallback: number) =>
  z.preprocess(unset, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").default(fallback));
const positiveNumber = (fallback: number) =>
  z.preprocess(unset, z.coerce.number({ error: "must be a number" }).positive("must be greater than 0").default(fallback));
const optionalText = z.preprocess(unset, z.string().optional());
const onOff = (fallback: "on" | "off") => z.preprocess(unset, z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default(fallback));
const flag = z.preprocess(unset, z.enum(["0", "1"], { error: 'must be "0" or "1"' }).default("0")).transform((v) => v === "1");

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  // Storage
  DATA_DIR: z.preprocess(unset, z.string().default("./data")),
  DATABASE_URL: optionalText,
  DATABASE_POOL_MAX: positiveInt(10),
  SECRET_KEY: optionalText,
  // First admin (only when no user exists yet)
  ADMIN_USERNAME: z.preprocess(unset, z.string().default("admin")),
  ADMIN_PASSWORD: optionalText,
  // Sign-in throttling
  LOGIN_MAX_FAILURES: positiveInt(5),
  LOGIN_WINDOW_MIN: positiveInt(15),
  /** Past 4 × LOGIN_MAX_FAILURES failures for one username, each attempt from an unknown source waits this long. */
  LOGIN_SLOWDOWN_MS: nonNegativeInt(1_000),
  /** 1: behind a reverse proxy (X-Forwarded-For's last hop is the client, X-Forwarded-Host the site's host). */
  TRUST_PROXY: flag,
  // Request body limits in bytes, enforced on the stream before parsing (lib/api/body.ts): sign-in and tokens /
  // other JSON (10,000 ids ≈ 400 KB) / CSV import and config.cfg upload.
  BODY_LIMIT_AUTH: positiveInt(8 * 1024),
  BODY_LIMIT_JSON: positiveInt(512 * 1024),
  BODY_LIMIT_IMPORT: positiveInt(8 * 1024 * 1024),
  // Logs (tests stay quiet unless LOG_LEVEL says otherwise)
  LOG_LEVEL: z.preprocess(unset, z.enum(LOG_LEVELS).optional()),
  VITEST: optionalText,
  /** Set by Next itself; "development" relaxes the CSP for React's dev tooling (proxy.ts). */
  NODE_ENV: optionalText,
  /** Comma-separated CIDR networks the portal may talk to phones in (device and SIP addresses); empty = any. */
  DEVICE_NETWORKS: z.preprocess(
    unset,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        try {
          parseNetworks(v, "DEVICE_NETWORKS");
        } catch {
          ctx.addIssue({ code: "custom", message: "must be comma-separated CIDR networks, e.g. 10.20.0.0/16, 192.0.2.0/24" });
        }
      }),
  ),
  // Devices: the per-call deadline of every device request (push, sync, poll, bulk, restore)
  DEVICE_TIMEOUT_MS: positiveInt(5_000),
  // Background config reads of new / never-read devices, and the slow re-read of devices without a revision
  CONFIG_READ_CONCURRENCY: positiveInt(4),
  CONFIG_SYNC_INTERVAL_S: positiveNumber(900),
  // Poller
  POLLER: onOff("on"),
  POLL_INTERVAL_S: positiveNumber(15),
  POLL_CONCURRENCY: positiveInt(64),
  /** Seconds a phone that offers the status long-poll is asked to hold it (0 = interval polling only; unset = the interval, ≤ MAX_STATUS_WAIT_S). */
  POLL_WAIT_S: z.preprocess(unset, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(MAX_STATUS_WAIT_S, `must be at most ${MAX_STATUS_WAIT_S} (the device API's longest wait)`).optional()),
  /** V8 heap growth past the live heap in a polling process, % (lib/poller/heap.ts); 0 = V8's default. */
  HEAP_GROWING_PERCENT: nonNegativeInt(50),
  // The fleet is cut into this many shards; the processes that poll (web, workers) split them (lib/poller/shards)
  POLL_SHARDS: positiveInt(32),
  STATUS_RETENTION_DAYS: positiveNumber(30),
  /** The dashboard trend: fleet counts stored every this many seconds, kept this many days (7 d range + a day). */
  STATUS_SAMPLE_INTERVAL_S: positiveNumber(60),
  STATUS_SAMPLE_RETENTION_DAYS: positiveNumber(8),
  // Which background work this process takes (`npm run worker` sets SAP_PROCESS_KIND=worker)
  JOBS: onOff("on"),
  SAP_PROCESS_KIND: z.preprocess(unset, z.enum(PROCESS_KINDS, { error: 'must be "web" or "worker"' }).default("web")),
  // Push jobs
  JOB_CONCURRENCY: positiveInt(8),
  JOB_MAX_ATTEMPTS: positiveInt(3),
  JOB_BACKOFF_MS: nonNegativeInt(2_000),
  JOB_BACKOFF_MAX_MS: nonNegativeInt(300_000),
  // Network side (registrars, proxy health, alerts, metrics)
  /** Seconds between SIP OPTIONS probes of every proxy. */
  PROXY_PROBE_INTERVAL_S: positiveNumber(10),
  /** Deadline of one probe transaction (RFC 3261 retransmissions inside it), ms. */
  PROXY_PROBE_TIMEOUT_MS: z.preprocess(unset, z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(100, "must be at least 100").default(4000)),
  /** Local address of the portal's SIP socket. */
  SIP_LOCAL_ADDRESS: z.preprocess(unset, z.string().trim().default("0.0.0.0")),
  /** "host[:port]" the portal's one SIP socket binds to (default 0.0.0.0 on any free port). */
  SIP_BIND: z.preprocess((v) => (typeof v === "string" ? unset(v.trim()) : v), z.string().optional()),
  /** Seconds between reads of each registrar's bindings. */
  REGISTRAR_POLL_INTERVAL_S: positiveNumber(10),
  /** A device unreachable this long raises device.unreachable. */
  ALERT_UNREACHABLE_AFTER_S: positiveNumber(300),
  /** Device alerts of one kind within this window are sent together; more than ALERT_SUMMARY_OVER become one summary. */
  ALERT_BATCH_WINDOW_S: positiveNumber(2),
  ALERT_SUMMARY_OVER: positiveInt(10),
  /** SMTP server for e-mail alerts, e.g. smtp://user:pass@mail.example.com:587 ; unset = no e-mail. */
  SMTP_URL: optionalText,
  ALERT_EMAIL_FROM: z.preprocess(unset, z.string().trim().default("SIP Admin Portal <alerts@localhost>")),
  /** Bearer token a Prometheus scraper may present at /metrics (besides a signed-in session). */
  METRICS_TOKEN: optionalText,
  /** PROXY_PROBE=off / REGISTRARS=off / ALERTS=off keep a process from that work. */
  PROXY_PROBE: onOff("on"),
  REGISTRARS: onOff("on"),
  ALERTS: onOff("on"),
  // Pull provisioning (GET /provisioning/<mac>.cfg): shared credentials (generated into DATA_DIR when unset),
  // allowed networks (comma-separated CIDRs, empty = any; checked in lib/provisioning/settings), rate limit per
  // client address, and how long a push waits for the phone's fetch after check-sync.
  PROVISIONING_USERNAME: z.preprocess((v) => (typeof v === "string" ? unset(v.trim()) : v), z.string().optional()),
  PROVISIONING_PASSWORD: optionalText,
  PROVISIONING_ALLOW: optionalText,
  PROVISIONING_RATE_PER_MIN: positiveInt(120),
  PROVISIONING_FETCH_TIMEOUT_S: positiveNumber(60),
  // Demo: the emulated fleet's manifest to seed the inventory from
  SEED_MANIFEST: optionalText,
  // Demo: canonical config values (JSON object) the portal holds for the manifest's provisioning phones when it adds
  // them — it cannot read them, so this is what their first file carries (e.g. the demo's proxies)
  SEED_PROVISIONING_CONFIG: z.preprocess(unset, z.string().optional()).pipe(
    z
      .string()
      .transform((text, ctx) => {
        try {
          const value: unknown = JSON.parse(text);
          if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
        } catch {
          /* reported below */
        }
        ctx.addIssue({ code: "custom", message: "must be a JSON object of config values" });
        return z.NEVER;
      })
      .optional(),
  ),
});

export type Env = z.infer<typeof schema>;
const NAMES = Object.keys(schema.shape) as (keyof Env)[];

export class EnvError extends Error {
  constructor(readonly variables: Record<string, string>) {
    super(`Invalid environment: ${Object.entries(variables).map(([k, m]) => `${k} ${m}`).join("; ")}`);
    this.name = "EnvError";
  }
}

/** Parses a set of raw variables (tests call this directly); throws EnvError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const r = schema.safeParse(Object.fromEntries(NAMES.map((k) => [k, raw[k]])));
  if (r.success) return r.data;
  const bad: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const name = String(issue.path[0] ?? "environment");
    bad[name] ??= `${issue.message} (got ${JSON.stringify(raw[name] ?? "")})`;
  }
  throw new EnvError(bad);
}

// A running portal's environment does not change: parsed once, then env() is a lookup (the poller, the device
// client and the job runner call it per request; building a key from ~50 process.env reads, each a getenv, was
// 1.5 % of the poller's CPU at 10,000 phones). Scripts set their variables before the first call (scripts/worker.ts,
// bench/*). Under vitest (VITEST, inherited by the processes tests spawn) tests set process.env between cases, so
// the parse is keyed on the raw values there.
let cached: { key: string | null; env: Env } | undefined;

/** The parsed environment. */
export function env(): Env {
  if (cached?.key === null) return cached.env;
  if (!process.env.VITEST) return (cached = { key: null, env: parseEnv(process.env) }).env;
  const key = NAMES.map((k) => process.env[k] ?? "\u0000").join("\u0001");
  if (cached?.key !== key) cached = { key, env: parseEnv(process.env) };
  return cached.env;
}
