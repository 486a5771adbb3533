// The one way the portal writes CSV for people to open in a spreadsheet (device export, bulk preview, job
// report): papaparse with formula escaping, so a device name like `=HYPERLINK(…)` (or one starting with + - @
// TAB CR) is written as text (`'=HYPERLINK(…)`), never run as a formula.
import Papa from "papaparse";

export function toSpreadsheetCsv(fields: string[], data: unknown[][]): string {
  return Papa.unparse({ fields, data }, { escapeFormulae: true });
}
