// Registrars as a status source: the shapes (zod: request and response, used by the routes and the OpenAPI
// document) and the pure contact model. Pure: no I/O, loadable by vitest and by client components (types).
import { z } from "zod";

/** Kinds of registrar the portal can read. A kind is one `RegistrarSource` (source.ts). */
export const REGISTRAR_KINDS = ["kamailio"] as const;
export type RegistrarKind = (typeof REGISTRAR_KINDS)[number];

export const registrarInputSchema = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name can be at most 100 characters"),
  kind: z.enum(REGISTRAR_KINDS, { error: `Kind must be one of: ${REGISTRAR_KINDS.join(", ")}` }),
  url: z
    .string({ error: "URL is required" })
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), { message: "URL must be an http:// or https:// URL, e.g. http://10.0.0.5:5071/RPC" }),
});
export type RegistrarInput = z.infer<typeof registrarInputSchema>;

/** One contact binding a registrar holds. */
export const registrarContactSchema = z
  .object({
    aor: z.string().meta({ description: "Address of record as the registrar keys it (user, or user@domain)" }),
    user: z.string().meta({ description: "User part of the AOR" }),
    contact: z.string().meta({ description: "Contact URI the phone registered" }),
    host: z.string().meta({ description: "Host of the contact (or of the received address behind NAT)" }),
    port: z.number().int().nullable(),
    expiresAt: z.iso.datetime().nullable().meta({ description: "null: a permanent binding" }),
    userAgent: z.string().nullable(),
    socket: z.string().nullable().meta({ description: "The registrar's own socket that took the REGISTER, e.g. udp:10.0.0.5:5060" }),
  })
  .meta({ id: "RegistrarContact" });
export type RegistrarContact = z.infer<typeof registrarContactSchema>;

export const registrarSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(REGISTRAR_KINDS),
    url: z.string(),
    createdAt: z.iso.datetime(),
    checkedAt: z.iso.datetime().nullable().meta({ description: "Last successful read of its contacts; null: never" }),
    contacts: z.number().int().nullable().meta({ description: "Contacts in the last successful read" }),
    matched: z.number().int().nullable().meta({ description: "Of those, how many belong to a device of the inventory" }),
    lastError: z.string().nullable().meta({ description: "Why the last read failed; null when it worked" }),
  })
  .meta({ id: "Registrar" });
export type RegistrarView = z.infer<typeof registrarSchema>;

export const REGISTRAR_STATES = ["registered", "unregistered", "unknown"] as const;
export type RegistrarState = (typeof REGISTRAR_STATES)[number];

/** What the registrars say about one device (the device status reply's `registrar`). */
export const deviceRegistrarSchema = z
  .object({
    name: z.string().nullable().meta({ description: "Registrar that holds the binding; null when none does" }),
    state: z.enum(REGISTRAR_STATES).meta({
      description: "registered: a registrar holds a live binding · unregistered: every registrar that answered has none · unknown: no registrar could be read",
    }),
    contact: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    via: z.string().nullable().meta({ description: "host:port of the registrar socket that took the REGISTER" }),
    checkedAt: z.iso.datetime().nullable().meta({ description: "When the registrars were last read" }),
    mismatch: z.string().nullable().meta({ description: "Where the phone's own report and the registrar disagree, in words; null when they agree" }),
  })
  .meta({ id: "DeviceRegistrar" });
export type DeviceRegistrar = z.infer<typeof deviceRegistrarSchema>;

const SIP_URI = /^sips?:(?:([^@;>]+)@)?(\[[^\]]+\]|[^:;>?]+)(?::(\d+))?/i;

/** user, host and port of a SIP URI (`sip:1001@10.0.0.9:5060;transport=udp`), or null when it is none. */
export function parseSipUri(uri: string): { user: string | null; host: string; port: number | null } | null {
  const m = SIP_URI.exec(uri.trim().replace(/^<|>$/g, ""));
  if (!m) return null;
  return { user: m[1] ? decodeURIComponent(m[1]) : null, host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : null };
}
