// The add/edit form edits tags as one comma-separated text field; everything else is the shared
// deviceInputSchema, so the browser shows exactly the messages the server would give.
import { z } from "zod";
import { deviceInputSchema, macRequiredError } from "@/lib/inventory/device-input";

export function splitTags(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

// A new object from the shape: zod refuses to overwrite keys of a refined object; the one cross-field rule
// (a provisioning phone needs its MAC) is added back with the server's own message.
export const deviceFormSchema = z
  .object({
    ...deviceInputSchema.shape,
    password: z.string().max(128, "Password can be at most 128 characters"),
    tags: z.string().transform(splitTags).pipe(deviceInputSchema.shape.tags.unwrap().unwrap()),
  })
  .superRefine((d, ctx) => {
    const e = macRequiredError(d.driver, d.mac);
    if (e) ctx.addIssue({ code: "custom", path: ["mac"], message: e.mac });
  });

export type DeviceFormValues = z.input<typeof deviceFormSchema>;
export type DeviceFormOutput = z.output<typeof deviceFormSchema>;

export const DEVICE_FORM_FIELDS = ["name", "address", "username", "password", "site", "tags", "driver", "model", "mac", "sipAddress", "provisioningUsername", "provisioningPassword"] as const;
export type DeviceFormField = (typeof DEVICE_FORM_FIELDS)[number];

/** Server field keys may be nested ("tags.2"); the form shows them on the top-level field. */
export function formFieldFor(key: string): DeviceFormField | null {
  const top = key.split(/[.[]/)[0];
  return (DEVICE_FORM_FIELDS as readonly string[]).includes(top) ? (top as DeviceFormField) : null;
}

/** Body for POST/PATCH: a blank password is left out, which the API reads as "keep the stored one". */
export function toRequestBody(values: DeviceFormOutput) {
  const { password, provisioningPassword, ...rest } = values;
  return { ...rest, ...(password ? { password } : {}), ...(provisioningPassword ? { provisioningPassword } : {}) };
}
