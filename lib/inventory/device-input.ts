// Shape of a device as an administrator enters it (form, REST API, CSV row). Pure: used in the browser
// and on the server, so both give the same messages.
import { z } from "zod";

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

function isHost(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.split(".").every((o) => Number(o) <= 255);
  if (host.length > 253) return false;
  return host.split(".").every((label) => HOST_LABEL.test(label));
}

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

const tagSchema = z
  .string()
  .trim()
  .min(1, "Tags cannot be empty")
  .max(40, "A tag can be at most 40 characters")
  .regex(/^[^,]+$/, "A tag cannot contain a comma");

const nameSchema = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name can be at most 100 characters");
const usernameSchema = z.string().trim().max(64, "Username can be at most 64 characters");
/** Write-only. Absent (or undefined) on update means "keep the stored password"; "" means "no password". */
const passwordSchema = z.string().max(128, "Password can be at most 128 characters");
const siteSchema = z.string().trim().max(100, "Site can be at most 100 characters");
const tagsSchema = z.array(tagSchema).max(20, "At most 20 tags");

export const deviceInputSchema = z.object({
  name: nameSchema,
  address: deviceAddressSchema,
  username: usernameSchema.optional().default(""),
  password: passwordSchema.optional(),
  site: siteSchema.optional().default(""),
  tags: tagsSchema.optional().default([]),
});

export type DeviceInput = z.infer<typeof deviceInputSchema>;

/** For PATCH: every field optional, same rules, and no defaults (an absent field is kept as stored). */
export const devicePatchSchema = z
  .object({ name: nameSchema, address: deviceAddressSchema, username: usernameSchema, password: passwordSchema, site: siteSchema, tags: tagsSchema })
  .partial();
export type DevicePatch = z.infer<typeof devicePatchSchema>;
