import "server-only";
import Papa from "papaparse";
import { asc, inArray } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { toSpreadsheetCsv } from "@/lib/csv";
import { deviceNetworkErrors } from "@/lib/device/networks";
import { getDb } from "@/lib/db";
import { audit } from "@/lib/db/audit";
import { devices } from "@/lib/db/schema";
import { deviceInputSchema, type DeviceInput } from "./device-input";
import { insertDevices, isUniqueViolation } from "./devices";

export const CSV_COLUMNS = ["name", "address", "username", "password", "site", "tags", "driver", "model", "mac", "sipAddress"] as const;
/** Header cells are matched case-insensitively ("sipaddress" = "sipAddress"). */
const COLUMN_BY_LOWER = new Map<string, string>(CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
const REQUIRED = ["name", "address"] as const;
const INSERT_BATCH = 500;
const MAX_ROWS = 50_000;

export interface CsvRowError {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  field: string;
  message: string;
}

const csvInvalid = (rows: CsvRowError[], message?: string) =>
  new AppError("csv_invalid", message ?? `The file has ${rows.length} error${rows.length === 1 ? "" : "s"}; nothing was imported`, { rows });

/** Parses and validates a CSV file into device inputs; throws 422 csv_invalid listing every row error. */
export function parseDeviceCsv(text: string): { inputs: DeviceInput[]; rowOf: Map<string, number>; rowOfMac: Map<string, number> } {
  // Parsed as arrays, blank lines kept: record i is then exactly spreadsheet row i + 1 (a quoted multi-line
  // cell is one record and one spreadsheet row too).
  // The delimiter is fixed (a comma): auto-detection fails on minimal files ("name,address" + one row).
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { header: false, skipEmptyLines: false, delimiter: "," });
  const records = parsed.data;
  const headers = (records[0] ?? []).map((h) => COLUMN_BY_LOWER.get(h.trim().toLowerCase()) ?? h.trim().toLowerCase());
  const headerErrors: CsvRowError[] = [];
  for (const col of REQUIRED) {
    if (!headers.includes(col)) headerErrors.push({ row: 1, field: col, message: `Missing column "${col}"` });
  }
  headers.forEach((h, i) => {
    if (headers.indexOf(h) !== i) headerErrors.push({ row: 1, field: h || "_", message: `Column "${h}" appears twice` });
    else if (!COLUMN_BY_LOWER.has(h.toLowerCase())) {
      headerErrors.push({ row: 1, field: h || "_", message: `Unknown column "${h}" (expected ${CSV_COLUMNS.join(", ")})` });
    }
  });
  if (headerErrors.length) throw csvInvalid(headerErrors);

  const errors: CsvRowError[] = parsed.errors.map((e) => ({ row: (e.row ?? 0) + 1, field: "_", message: e.message }));
  const out: DeviceInput[] = [];
  const seen = new Map<string, number>();
  const seenMac = new Map<string, number>();
  for (let i = 1; i < records.length; i++) {
    const cells = records[i];
    if (cells.every((c) => c.trim() === "")) continue; // blank line
    const row = i + 1;
    if (cells.length > headers.length) {
      errors.push({ row, field: "_", message: `Row has ${cells.length} cells but the header has ${headers.length} columns` });
      continue;
    }
    const rec: Record<string, string> = {};
    headers.forEach((h, j) => (rec[h] = cells[j] ?? ""));
    const r = deviceInputSchema.safeParse({
      name: rec.name,
      address: rec.address,
      username: rec.username || undefined,
      password: rec.password || undefined,
      site: rec.site || undefined,
      tags: (rec.tags ?? "").split(";").map((t) => t.trim()).filter(Boolean),
      driver: rec.driver?.trim() || undefined,
      model: rec.model?.trim() || undefined,
      mac: rec.mac ?? undefined,
      sipAddress: rec.sipAddress ?? undefined,
    });
    if (!r.success) {
      const done = new Set<string>();
      for (const issue of r.error.issues) {
        const field = String(issue.path[0] ?? "_");
        if (!done.has(field)) errors.push({ row, field, message: issue.message });
        done.add(field);
      }
      continue;
    }
    const outside = Object.entries(deviceNetworkErrors(r.data));
    if (outside.length) {
      for (const [field, message] of outside) errors.push({ row, field, message });
      continue;
    }
    const first = seen.get(r.data.address);
    if (first !== undefined) {
      errors.push({ row, field: "address", message: `Address ${r.data.address} is also on row ${first}` });
      continue;
    }
    if (r.data.mac) {
      const macRow = seenMac.get(r.data.mac);
      if (macRow !== undefined) {
        errors.push({ row, field: "mac", message: `MAC ${r.data.mac} is also on row ${macRow}` });
        continue;
      }
      seenMac.set(r.data.mac, row);
    }
    seen.set(r.data.address, row);
    out.push(r.data);
  }
  if (errors.length) throw csvInvalid(errors.sort((a, b) => a.row - b.row));
  if (out.length === 0) throw csvInvalid([], "The file has no device rows");
  if (out.length > MAX_ROWS) throw csvInvalid([], `At most ${MAX_ROWS} devices per file`);
  return { inputs: out, rowOf: seen, rowOfMac: seenMac };
}

/** All-or-nothing import: every row valid and new, or nothing is stored. */
export async function importDevicesCsv(text: string, actor: string): Promise<{ created: number; ids: string[] }> {
  const { inputs, rowOf, rowOfMac } = parseDeviceCsv(text);
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const taken: CsvRowError[] = [];
      for (let i = 0; i < inputs.length; i += INSERT_BATCH) {
        const addrs = inputs.slice(i, i + INSERT_BATCH).map((d) => d.address);
        const existing = await tx.select({ address: devices.address }).from(devices).where(inArray(devices.address, addrs));
        for (const e of existing) taken.push({ row: rowOf.get(e.address)!, field: "address", message: "A device with this address already exists" });
        const macs = inputs.slice(i, i + INSERT_BATCH).flatMap((d) => (d.mac ? [d.mac] : []));
        const macTaken = macs.length ? await tx.select({ mac: devices.mac }).from(devices).where(inArray(devices.mac, macs)) : [];
        for (const e of macTaken) taken.push({ row: rowOfMac.get(e.mac!)!, field: "mac", message: "A device with this MAC already exists" });
      }
      if (taken.length) throw csvInvalid(taken.sort((a, b) => a.row - b.row));
      const ids: string[] = [];
      for (let i = 0; i < inputs.length; i += INSERT_BATCH) ids.push(...(await insertDevices(tx, inputs.slice(i, i + INSERT_BATCH))).map((r) => r.id));
      await audit(tx, { actor, action: "device.import", targetType: "device", details: { created: inputs.length } });
      return { created: inputs.length, ids };
    });
  } catch (err) {
    // A device added by someone else between the check and the insert.
    if (isUniqueViolation(err)) throw new AppError("conflict", "A device with one of the file's addresses was added meanwhile; nothing was imported");
    throw err;
  }
}

/** Every device as CSV (the import's columns without the password), ordered by name. */
export async function exportDevicesCsv(): Promise<string> {
  const db = await getDb();
  const rows = await db.select().from(devices).orderBy(asc(devices.name), asc(devices.id));
  return toSpreadsheetCsv(
    ["name", "address", "username", "site", "tags", "driver", "model", "mac", "sipAddress"],
    rows.map((d) => [d.name, d.address, d.username, d.site, d.tags.join(";"), d.driver, d.model, d.mac ?? "", d.sipAddress ?? ""]),
  );
}
