// Saved device-list views (issue 15): a user's named filter + sort + column set. Pure zod: the route, the OpenAPI
// document and the browser use the same shapes.
import { z } from "zod";
import { DRIVERS } from "@/lib/device/kinds";
import { DEVICE_LIST_COLUMNS, DEVICE_SORTS, STATUS_FILTERS } from "@/lib/inventory/schemas";
import { MODELS } from "@/lib/params/profiles/data";
import { CONFIG_STATES } from "@/lib/states";

export const VIEW_NAME_MAX = 60;
export const VIEWS_PER_USER_MAX = 50;

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

/** The list's filter as GET /devices takes it (empty = no filter on that field). */
export const viewFilterSchema = z.object({
  q: text(200).optional(),
  site: text(100).optional(),
  tag: text(40).optional(),
  status: z.enum(STATUS_FILTERS, { error: `status must be one of ${STATUS_FILTERS.join(", ")}` }).optional(),
  configState: z.enum(CONFIG_STATES, { error: `configState must be one of ${CONFIG_STATES.join(", ")}` }).optional(),
  driver: z.enum(DRIVERS, { error: `driver must be one of ${DRIVERS.join(", ")}` }).optional(),
  model: z.enum(MODELS, { error: `model must be one of ${MODELS.join(", ")}` }).optional(),
});

export const viewBodySchema = z.object({
  filter: viewFilterSchema.default({}),
  sort: z.enum(DEVICE_SORTS, { error: `sort must be one of ${DEVICE_SORTS.join(", ")}` }).default("name"),
  dir: z.enum(["asc", "desc"], { error: "dir must be asc or desc" }).default("asc"),
  columns: z
    .array(z.enum(DEVICE_LIST_COLUMNS, { error: `columns are ${DEVICE_LIST_COLUMNS.join(", ")}` }))
    .max(DEVICE_LIST_COLUMNS.length)
    .refine((c) => new Set(c).size === c.length, "a column is listed twice")
    .meta({ description: "Optional columns shown, in the list's order" }),
});

export const savedViewInputSchema = viewBodySchema
  .extend({ name: text(VIEW_NAME_MAX).min(1, "Give the view a name") })
  .meta({ id: "SavedViewInput" });
export type SavedViewInput = z.input<typeof savedViewInputSchema>;

export const savedViewSchema = viewBodySchema
  .extend({ id: z.uuid(), name: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: "SavedView" });
export type SavedView = z.output<typeof savedViewSchema>;

export const savedViewListSchema = z.object({ views: z.array(savedViewSchema) }).meta({ id: "SavedViewList" });
