// Reply shapes of the provisioning views (device page, settings page). Pure zod: the handlers, the OpenAPI document
// and the browser use these.
import { z } from "zod";
import { configValuesSchema } from "@/lib/config-store/schemas";
import { deviceSchema } from "@/lib/inventory/schemas";
import type { MaskedConfigValues } from "@/lib/params";

export const fetchRecordSchema = z
  .object({
    at: z.iso.datetime(),
    clientAddress: z.string().meta({ description: "The address the request came from (X-Forwarded-For of server.mjs or a trusted reverse proxy)" }),
    userAgent: z.string(),
    revision: z.number().int().meta({ description: "The portal's config revision the file was rendered from" }),
    hash: z.string().meta({ description: "sha256 of the file served" }),
  })
  .meta({ id: "ProvisioningFetch" });

export const deviceProvisioningSchema = z
  .object({
    fetches: z.array(fetchRecordSchema).meta({ description: "The last fetches of this phone's file, newest first" }),
    served: z
      .object({
        revision: z.number().int(),
        values: configValuesSchema.meta({ description: "What <mac>.cfg holds now (canonical keys; secrets null)" }),
      })
      .meta({ description: "The configuration the portal serves this phone: its desired config (catalog defaults until changed)" }),
  })
  .meta({ id: "DeviceProvisioning" });

export const unknownPhoneSchema = z
  .object({
    mac: z.string(),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    clientAddress: z.string(),
    userAgent: z.string(),
    requests: z.number().int(),
  })
  .meta({ id: "UnknownPhone" });

export const provisioningOverviewSchema = z
  .object({
    path: z.string().meta({ description: 'The file path phones are given, e.g. "/provisioning/" (they append <mac>.cfg)' }),
    username: z.string(),
    password: z.string().meta({ description: "The shared provisioning password (admins only: phones take it inside their URL)" }),
    generated: z.boolean().meta({ description: "true: generated into DATA_DIR (PROVISIONING_USERNAME/PASSWORD unset)" }),
    allow: z.array(z.string()).meta({ description: "PROVISIONING_ALLOW networks; empty = any" }),
    ratePerMin: z.number().int(),
    unknownPhones: z.array(unknownPhoneSchema).meta({ description: "MACs that fetched with valid credentials but are not in the inventory, newest first" }),
  })
  .meta({ id: "ProvisioningOverview" });
export type ProvisioningOverview = z.infer<typeof provisioningOverviewSchema>;

/** The wire type of deviceProvisioningSchema, with the values typed as the catalog's (the schema's are per key). */
export interface DeviceProvisioning {
  fetches: Array<z.infer<typeof fetchRecordSchema>>;
  served: { revision: number; values: MaskedConfigValues };
}

/** The portal's origin as the phones reach it: http(s), host and port only (the credentials and path are added). */
const portalOrigin = z
  .string()
  .trim()
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password && (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash;
      } catch {
        return false;
      }
    },
    { message: "Enter the portal's address as the phone reaches it, e.g. http://192.0.2.10:3000 (http or https, no path, no credentials)" },
  )
  .transform((v) => new URL(v).origin);

export const pointAtProvisioningInputSchema = z
  .object({
    portalUrl: portalOrigin.meta({ description: "The portal's origin as the phone reaches it (LAN address, or the reverse proxy's), e.g. http://192.0.2.10:3000" }),
  })
  .strict()
  .meta({ id: "PointAtProvisioningInput" });
export type PointAtProvisioningInput = z.input<typeof pointAtProvisioningInputSchema>;

export const pointAtProvisioningResultSchema = z
  .object({
    device: deviceSchema,
    configUrl: z.string().meta({ description: "The Configuration URL written to the phone and read back from it (password masked)" }),
    fetched: z
      .object({ revision: z.number().int() })
      .nullable()
      .meta({ description: "The revision the phone fetched right after (the form's fetch-now); null: no fetch within PROVISIONING_FETCH_TIMEOUT_S" }),
    message: z.string(),
  })
  .meta({ id: "PointAtProvisioningResult" });
export type PointAtProvisioningResult = z.infer<typeof pointAtProvisioningResultSchema>;
