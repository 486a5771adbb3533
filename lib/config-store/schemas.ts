// Reply shapes of a device's configuration, built from the catalog. Pure (zod + lib/params).
import { z } from "zod";
import { CATALOG, type ParamDef } from "@/lib/params";
import { configStateSchema } from "@/lib/states";

export function paramSchema(p: ParamDef): z.ZodType {
  let s: z.ZodType;
  switch (p.type) {
    case "boolean":
      s = z.union([z.literal(0), z.literal(1)]);
      break;
    case "integer":
    case "port": {
      let n = z.number().int();
      if (p.min !== undefined) n = n.min(p.min);
      if (p.max !== undefined) n = n.max(p.max);
      s = n;
      break;
    }
    case "enum":
      s = z.union((p.options ?? []).map((o) => z.literal(o.value)) as unknown as [z.ZodLiteral, z.ZodLiteral]);
      break;
    default:
      s = p.maxLength !== undefined ? z.string().max(p.maxLength) : z.string();
  }
  if (p.secret) s = s.nullable();
  const notes = [p.help, p.appliesWhen ? `Applies when ${p.appliesWhen.key} = ${p.appliesWhen.equals}.` : "", p.secret ? "Write-only: read as null; null or absent in a write keeps it." : ""];
  return s.meta({ title: p.label, description: notes.filter(Boolean).join(" "), default: p.default, readOnly: p.readOnly });
}

const params = CATALOG as readonly ParamDef[];
/**
 * The editable parameters (the firmware's read-only status keys are not part of a config). A key is absent only when
 * the device's model lacks that parameter (lib/params/profiles): its catalog default is nothing the phone holds.
 */
export const configValuesSchema = z
  .object(Object.fromEntries(params.filter((p) => !p.readOnly).map((p) => [p.key, paramSchema(p).optional()])))
  .meta({
    id: "ConfigValues",
    description: "Full configuration in the device's representation (booleans 0/1), keyed by catalog key; secrets null; a parameter the device's model lacks is absent",
  });
export const configPatchValuesSchema = z
  .object(Object.fromEntries(params.filter((p) => !p.readOnly).map((p) => [p.key, paramSchema(p).optional()])))
  .strict()
  .meta({ id: "ConfigPatchValues", description: "Any subset of the editable parameters; validated on the merged config" });

export const configSchema = z
  .object({
    values: configValuesSchema.nullable().meta({ description: "null while the portal has never read the phone (state never_read): no defaults are presented as its values" }),
    revision: z.number().int().meta({ description: "Portal-side revision of the desired config" }),
    state: configStateSchema,
    syncedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
    deviceRevision: z.number().int().nullable().meta({ description: "The device's own config revision as last read" }),
    drift: z
      .record(z.string(), z.object({ expected: z.unknown(), actual: z.unknown() }))
      .nullable()
      .meta({ description: "Keys where the device differs from what the portal last pushed/adopted" }),
    lastError: z
      .object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional(), at: z.iso.datetime() })
      .nullable()
      .meta({ description: "The last failed push (classified device error)" }),
    lastPushAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "DeviceConfig" });
export type ConfigReply = z.infer<typeof configSchema>;
