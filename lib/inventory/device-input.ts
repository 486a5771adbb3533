// Shape of a device as an administrator enters it (form, REST API, CSV row). Pure: used in the browser
// and on the server, so both give the same messages.
import { z } from "zod";
import { DEFAULT_DRIVER, DRIVERS } from "@/lib/device/kinds";
import { hostError } from "@/lib/params/host";
import { DEFAULT_MODEL, MODELS } from "@/lib/params/profiles/data";
import { SECRET_MASK } from "@/lib/params/schema";

// The one host rule (lib/params/host.ts), shared with every address parameter of the catalog.
const isHost = (host: string) => hostError(host) === null;

/** `host:port` of the device's HTTP config API. */
export const deviceAddressSchema = z
  .string({ error: "Address is required" })
  .trim()
  .min(1, "Address is required")
  .refine((v) => /^[^:\s]+:\d{1,5}$/.test(v), { message: "Address must be host:port, e.g. 192.0.2.10:80" })
  .refine((v) => isHost(v.slice(0, v.lastIndexOf(":"))), { message: "Address has an invalid host name or IPv4 address" })
  .refine(
    (v) => {
      const port = Number(v.slice(v.lastIndexOf(":") + 1));
      return port >= 1 && port <= 65535;
    },
    { message: "Address port must be between 1 and 65535" },
  );

// Control characters (NUL, CR/LF, ESC …), invisible format characters (zero-width, bidi overrides such as U+202E)
// and line/paragraph separators: they break CSV/config files and logs, and make a name look like another one.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const visible = (what: string) => [(v: string) => !INVISIBLE.test(v), { message: `${what} must not contain control or invisible characters` }] as const;

// The secret mask (lib/params): for the device API password, on update it means "keep", on create it is refused.

const tagSchema = z
  .string()
  .trim()
  .refine(...visible("A tag"))
  .min(1, "Tags cannot be empty")
  .max(40, "A tag can be at most 40 characters")
  .regex(/^[^,]+$/, "A tag cannot contain a comma");

const nameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(100, "Name can be at most 100 characters")
  .refine(...visible("Name"));
const usernameSchema = z.string().trim().max(64, "Username can be at most 64 characters").refine(...visible("Username"));
/** Write-only. Absent (or undefined) on update means "keep the stored password"; "" means "no password". */
const passwordSchema = z
  .string()
  .max(128, "Password can be at most 128 characters")
  .refine((v) => !/\p{Cc}/u.test(v), { message: "Password must not contain control characters" });
const siteSchema = z.string().trim().max(100, "Site can be at most 100 characters").refine(...visible("Site"));
const tagsSchema = z.array(tagSchema).max(20, "At most 20 tags");
/** In maintenance: no alerts, and "maintenance" shown instead of "unreachable". */
const maintenanceSchema = z.boolean({ error: "Maintenance must be true or false" });

/** `00:1f:9c:12:34:56`, `00-1F-9C-12-34-56`, `001f9c123456` (also `001f.9c12.3456`) → `001f9c123456`; null = malformed. */
export function normalizeMac(raw: string): string | null {
  const v = raw.trim();
  if (!/^([0-9A-Fa-f]{2}([:-]?)){5}[0-9A-Fa-f]{2}$/.test(v) && !/^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}$/.test(v)) return null;
  const hex = v.replace(/[:.-]/g, "").toLowerCase();
  // One separator style throughout ("00:1f-9c…" is a typo, not a MAC).
  const seps = new Set(v.match(/[:.-]/g) ?? []);
  return hex.length === 12 && seps.size <= 1 ? hex : null;
}

const MAC_MESSAGE = "MAC must be 12 hex digits, e.g. 00:1f:9c:12:34:56, 00-1F-9C-12-34-56 or 001f9c123456";
/** Empty = none; otherwise normalized to lower-case hex without separators. */
const macSchema = z
  .string()
  .transform((v, ctx) => {
    if (v.trim() === "") return null;
    const mac = normalizeMac(v);
    if (mac === null) ctx.addIssue({ code: "custom", message: MAC_MESSAGE });
    return mac;
  })
  .nullable();

/** `host[:port]` of the phone's SIP user agent; empty = none (the registered contact, or the address on 5060). */
const sipAddressSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return null;
    const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(v);
    if (!m || !isHost(m[1])) ctx.addIssue({ code: "custom", message: "SIP address must be host[:port], e.g. 192.0.2.10:5060" });
    else if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) ctx.addIssue({ code: "custom", message: "SIP address port must be between 1 and 65535" });
    return v;
  })
  .nullable();

const driverSchema = z.enum(DRIVERS, { error: `Driver must be one of ${DRIVERS.join(", ")}` });
const modelSchema = z.enum(MODELS, { error: `Model must be one of ${MODELS.join(", ")}` });
/** Per-device provisioning credentials (username + write-only password); empty username = the shared ones. */
const provisioningUsernameSchema = z
  .string()
  .trim()
  .max(64, "Provisioning username can be at most 64 characters")
  .regex(/^[^:@/\s]*$/, "Provisioning username cannot contain : @ / or spaces (it goes into the phone's URL)");
const provisioningPasswordSchema = z
  .string()
  .max(128, "Provisioning password can be at most 128 characters")
  .regex(/^[^@/\s]*$/, "Provisioning password cannot contain @ / or spaces (it goes into the phone's URL)");

const MAC_REQUIRED = "MAC is required for the provisioning driver (the phone fetches <mac>.cfg)";

export const deviceInputSchema = z
  .object({
    name: nameSchema,
    address: deviceAddressSchema,
    username: usernameSchema.optional().default(""),
    password: passwordSchema.refine((v) => v !== SECRET_MASK, { message: `${SECRET_MASK} is the mask of a kept password; give the real password` }).optional(),
    site: siteSchema.optional().default(""),
    tags: tagsSchema.optional().default([]),
    driver: driverSchema.optional().default(DEFAULT_DRIVER),
    model: modelSchema.optional().default(DEFAULT_MODEL),
    mac: macSchema.optional().default(null),
    sipAddress: sipAddressSchema.optional().default(null),
    provisioningUsername: provisioningUsernameSchema.optional().default(""),
    provisioningPassword: provisioningPasswordSchema.optional(),
    maintenance: maintenanceSchema.optional().default(false),
  })
  .superRefine((d, ctx) => {
    if (d.driver === "provisioning" && !d.mac) ctx.addIssue({ code: "custom", path: ["mac"], message: MAC_REQUIRED });
  });

export type DeviceInput = z.infer<typeof deviceInputSchema>;

/** For PATCH: every field optional, same rules, and no defaults (an absent field is kept as stored). */
export const devicePatchSchema = z
  .object({
    name: nameSchema,
    address: deviceAddressSchema,
    username: usernameSchema,
    // The mask a form or a client echoes back means "keep", like an absent password.
    password: passwordSchema.transform((v) => (v === SECRET_MASK ? undefined : v)),
    site: siteSchema,
    tags: tagsSchema,
    driver: driverSchema,
    model: modelSchema,
    mac: macSchema,
    sipAddress: sipAddressSchema,
    provisioningUsername: provisioningUsernameSchema,
    provisioningPassword: provisioningPasswordSchema,
    maintenance: maintenanceSchema,
  })
  .partial();
export type DevicePatch = z.infer<typeof devicePatchSchema>;

/** A patch that leaves a provisioning phone without a MAC (checked against the stored row). */
export function macRequiredError(driver: string, mac: string | null): Record<string, string> | null {
  return driver === "provisioning" && !mac ? { mac: MAC_REQUIRED } : null;
}
