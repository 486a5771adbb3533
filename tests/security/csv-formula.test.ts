// Issue 13, hole 6: device names a spreadsheet would run as formulas (`=HYPERLINK(…)`, `+…`, `-…`, `@…`) are written
// as text in the bulk preview (POST /jobs/preview.csv, open to viewers) and the job report (GET /jobs/<id>/report.csv),
// as export.csv already did: prefixed with `'`, never as a live formula. The phones count as read (their config as
// last read is stored below), so no phone is contacted; addresses 127.68.11.x.
import { inArray } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import * as previewCsvRoute from "@/app/api/v1/jobs/preview.csv/route";
import * as reportRoute from "@/app/api/v1/jobs/[id]/report.csv/route";
import { sealSecrets } from "@/lib/config-store";
import { getDb } from "@/lib/db";
import { deviceConfigs } from "@/lib/db/schema";
import { createDevice } from "@/lib/inventory/devices";
import { defaultConfig } from "@/lib/params";
import { createJob } from "@/lib/jobs/store";
import { call } from "@/tests/support/api";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const NAMES = ['=HYPERLINK("http://evil.example/x","open me")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"];
const VALUES = { "voip/signalling/sip/redundant/use_redundant_proxy": 1, "voip/signalling/sip/redundant/redundant_proxy_address": "10.68.11.9" };
let ids: string[] = [];

beforeAll(async () => {
  ids = [];
  for (const [i, name] of NAMES.entries()) ids.push((await createDevice({ name, address: `127.68.11.${i + 1}:8080`, username: "admin", password: "pw" }, "root")).id);
  const read = sealSecrets(defaultConfig());
  await (await getDb()).update(deviceConfigs).set({ values: read, baseline: read, state: "in_sync", deviceRevision: 1 }).where(inArray(deviceConfigs.deviceId, ids));
});

/** Every cell of the CSV; none may start with a character a spreadsheet treats as a formula. */
function cells(text: string): string[] {
  const parsed = Papa.parse<string[]>(text.trim(), { delimiter: "," });
  expect(parsed.errors).toEqual([]);
  return parsed.data.flat();
}

function expectEscaped(text: string) {
  const all = cells(text);
  for (const name of NAMES) expect(all, name).toContain(`'${name}`);
  expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
}

describe("hole 6: CSVs for spreadsheets never carry a live formula", () => {
  it("jobs/preview.csv (as a viewer)", async () => {
    const r = await call(previewCsvRoute.POST, "POST", "/jobs/preview.csv", { token: f.viewer, body: { selection: { deviceIds: ids }, values: VALUES } });
    expect(r.status, String(r.body).slice(0, 300)).toBe(200);
    expectEscaped(r.body as string);
  });

  it("jobs/<id>/report.csv", async () => {
    const { id } = await createJob({ selection: { deviceIds: ids }, values: VALUES }, "root");
    const r = await call(reportRoute.GET, "GET", `/jobs/${id}/report.csv`, { token: f.viewer, params: { id } });
    expect(r.status).toBe(200);
    expectEscaped(r.body as string);
  });
});
