// zod shapes of the device's answers (emulator/API.md). Unknown extra members are dropped, missing or
// mistyped ones make the reply malformed: the portal never acts on a half-understood answer.
import { z } from "zod";

/** Device representation: booleans 0/1, integers as numbers, everything else strings (secrets masked). */
export const configValuesSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type DeviceConfigValues = z.infer<typeof configValuesSchema>;

export const deviceInfoSchema = z.object({
  model: z.string(),
  firmware: z.string(),
  serial: z.string(),
  mac: z.string(),
  uptimeS: z.number().int().nonnegative(),
});
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

export const configReplySchema = z.object({
  revision: z.number().int().nonnegative(),
  values: configValuesSchema,
});
export type DeviceConfigReply = z.infer<typeof configReplySchema>;

export const rejectedReplySchema = z.object({ errors: z.record(z.string(), z.string()) });
export const conflictReplySchema = z.object({ revision: z.number().int().nonnegative() });
/** Error text the device may put in `{error}`; used only to enrich messages. */
export const errorReplySchema = z.object({ error: z.string() });

// Free text a phone reports (errors, reasons, registrar names) is stored and shown: bounded and without control
// characters, so a hostile phone cannot fill the database or forge lines in a log or a CSV.
export const STATUS_TEXT_MAX = 500;
export const STATUS_TRANSITIONS_MAX = 50;
const statusText = (max = STATUS_TEXT_MAX) =>
  z.string().transform((s) => {
    // eslint-disable-next-line no-control-regex
    const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  });

// A time the phone reports, stored and served as ISO 8601 (the portal's replies promise date-time); one the
// portal cannot read is not known (null), never passed on as it came.
const isoTime = z
  .string()
  .max(64)
  .nullable()
  .transform((v) => {
    const t = v === null ? Number.NaN : Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  });
const registrationState = z.enum(["registered", "registering", "unregistered", "failed"]);
const proxyRole = z.enum(["primary", "redundant"]).nullable();

const proxyHealthSchema = z.object({
  address: statusText(255).nullable(),
  reachable: z.boolean().nullable(),
  lastOkAt: isoTime,
  lastFailAt: isoTime,
  rttMs: z.number().nullable(),
});

export const deviceStatusSchema = z.object({
  state: registrationState,
  proxy: proxyRole,
  registrar: statusText(255).nullable(),
  since: isoTime,
  registeredAt: isoTime,
  expiresAt: isoTime,
  lastError: statusText().nullable(),
  keepAlive: z.object({ primary: proxyHealthSchema, redundant: proxyHealthSchema }),
  /** The config revision (DESIGN: a poller notices a local change by it); absent on firmware without it. */
  configRevision: z.number().int().nonnegative().optional(),
  transitions: z.array(
    z.object({
      at: isoTime,
      from: z.object({ state: registrationState, proxy: proxyRole }),
      to: z.object({ state: registrationState, proxy: proxyRole }),
      reason: statusText(),
    }),
  )
  // The newest ones only: a phone sending thousands cannot make one poll write thousands of timeline rows.
  .transform((t) => t.slice(-STATUS_TRANSITIONS_MAX)),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;
