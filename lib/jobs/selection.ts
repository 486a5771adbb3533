// A bulk selection: explicit device ids (checkboxes) or a filter resolved here on the server, so "all 5,000
// matching the filter" never sends 5,000 ids from the browser.
import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/lib/db";
import { deviceStatus, devices } from "@/lib/db/schema";
import { deviceFilterConditions, deviceQuerySchema } from "@/lib/inventory/devices";

// The device list's own filter (lib/inventory): a bulk edit of "all matching" selects exactly what the list shows.
export const selectionFilterSchema = deviceQuerySchema.pick({ q: true, site: true, tag: true, status: true, configState: true, driver: true, model: true }).strict();

/** Explicit ids are bounded (the database takes at most 65,535 parameters per statement); filters are not. */
export const MAX_DEVICE_IDS = 10_000;

export const selectionSchema = z.union([
  z
    .object({
      deviceIds: z
        .array(z.uuid({ error: "Each device id must be a uuid" }))
        .min(1, "Select at least one device")
        .max(MAX_DEVICE_IDS, `At most ${MAX_DEVICE_IDS.toLocaleString("en")} device ids per request; select more with a filter`),
    })
    .strict(),
  z.object({ filter: selectionFilterSchema }).strict(),
]);
export type Selection = z.infer<typeof selectionSchema>;
export type SelectionFilter = z.infer<typeof selectionFilterSchema>;

export interface SelectedDevice {
  id: string;
  name: string;
}

/** The selected devices, in name order; unknown ids are simply not there. */
export async function resolveSelection(db: DbOrTx, selection: Selection): Promise<SelectedDevice[]> {
  const conds = "deviceIds" in selection ? [inArray(devices.id, [...new Set(selection.deviceIds)])] : deviceFilterConditions(selection.filter);
  return db
    .select({ id: devices.id, name: devices.name })
    .from(devices)
    .leftJoin(deviceStatus, eq(deviceStatus.deviceId, devices.id))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(devices.name), asc(devices.id));
}

/**
 * The selection of a request body: `{selection: {...}}`, or (as DESIGN's `POST /jobs {deviceIds, values}`)
 * `deviceIds` / `filter` at the top level.
 */
export function selectionOf(body: Record<string, unknown>): Selection {
  const raw = body.selection ?? ("deviceIds" in body ? { deviceIds: body.deviceIds } : "filter" in body ? { filter: body.filter } : undefined);
  const r = selectionSchema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new AppError("validation_failed", "Choose the devices: deviceIds or a filter", {
    fields: { selection: raw === undefined ? "Give deviceIds or a filter (q, site, tag, status, configState, driver, model)" : (first?.message ?? "Invalid selection") },
  });
}
