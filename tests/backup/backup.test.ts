// Backup and restore (lib/backup, `npm run backup|restore`): a backup of a portal with devices (encrypted
// credentials), desired configs, a job, users, sessions and audit entries is restored into a FRESH DATA_DIR (its own
// embedded PostgreSQL server) and the API answers exactly as before — with the same bearer tokens, since sessions
// are part of it. A restore under another SECRET_KEY is refused and changes nothing. No network: nothing listens on
// the device addresses (127.66.200.x), and no route here contacts a device.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as deviceRoute from "@/app/api/v1/devices/[id]/route";
import * as devicesRoute from "@/app/api/v1/devices/route";
import * as jobRoute from "@/app/api/v1/jobs/[id]/route";
import * as jobsRoute from "@/app/api/v1/jobs/route";
import * as usersRoute from "@/app/api/v1/users/route";
import { call } from "@/tests/support/api";
import { BackupError, backup, readHeader, restore } from "@/lib/backup";
import { patchConfig } from "@/lib/config-store";
import { closeDb, databaseInfo, getDb } from "@/lib/db";
import { insertDevices } from "@/lib/inventory/devices";
import { createJob } from "@/lib/jobs/store";
import { useApiFixture } from "../api/support";

const f = useApiFixture();
const KEYS = { use: "voip/signalling/sip/redundant/use_redundant_proxy", addr: "voip/signalling/sip/redundant/redundant_proxy_address" };
let work = "";
let file = "";
let jobId = "";
let deviceIds: string[] = [];
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "sap-backup-"));
  file = path.join(work, "portal.backup");
  const db = await getDb();
  const rows = await db.transaction((tx) =>
    insertDevices(tx, Array.from({ length: 5 }, (_, i) => ({ name: `bk-${i}`, address: `127.66.200.${i + 1}:8080`, username: "admin", password: `pw-${i}`, site: "backup", tags: ["t1"] }))),
  );
  deviceIds = rows.map((r) => r.id);
  await patchConfig(deviceIds[0], { [KEYS.use]: 1, [KEYS.addr]: "10.66.0.9" }, "root");
  jobId = (await createJob({ selection: { deviceIds: deviceIds.slice(1) }, values: { [KEYS.use]: 1, [KEYS.addr]: "10.66.0.8" } }, "root")).id;
});

afterAll(async () => {
  await closeDb(); // stops the restored portal's embedded server
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(work, { recursive: true, force: true });
});

/** What an API client sees: every reply that depends on stored data. */
async function replies(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  out.devices = (await call(devicesRoute.GET, "GET", "/devices?limit=100", { token: f.viewer })).body;
  for (const id of deviceIds) out[`device ${id}`] = (await call(deviceRoute.GET, "GET", `/devices/${id}`, { token: f.viewer, params: { id } })).body;
  out.users = (await call(usersRoute.GET, "GET", "/users", { token: f.admin })).body;
  out.audit = (await call(auditRoute.GET, "GET", "/audit?limit=500", { token: f.admin })).body;
  out.jobs = (await call(jobsRoute.GET, "GET", "/jobs", { token: f.viewer })).body;
  out.job = (await call(jobRoute.GET, "GET", `/jobs/${jobId}`, { token: f.viewer, params: { id: jobId } })).body;
  return out;
}

it("restores into a fresh DATA_DIR with its own embedded server and serves identical API replies", async () => {
  const before = await replies();
  expect((before as { devices: { total: number } }).devices.total).toBe(5);
  const header = await backup(file);
  expect(readHeader(file).header).toEqual(header);
  expect(header).toMatchObject({ format: "sip-admin-portal-backup", server: expect.stringMatching(/^15\./), keyFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });

  // A new machine: another data folder, the embedded default, the same SECRET_KEY.
  await closeDb();
  for (const k of ["DATABASE_URL", "DATA_DIR"]) saved[k] = process.env[k];
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = path.join(work, "fresh");
  await restore(file);
  expect(await databaseInfo()).toMatchObject({ embedded: true });
  expect(await replies()).toEqual(before);
});

it("refuses a restore under another SECRET_KEY and changes nothing", async () => {
  const before = await replies();
  await closeDb();
  const key = process.env.SECRET_KEY;
  process.env.SECRET_KEY = "0a".repeat(32);
  try {
    await expect(restore(file)).rejects.toThrow(BackupError);
    await expect(restore(file)).rejects.toThrow(/another encryption key.*nothing was restored/);
  } finally {
    process.env.SECRET_KEY = key;
  }
  expect(await replies()).toEqual(before);
});

it("refuses a restore while the portal is connected, and a file that is not a backup", async () => {
  await getDb();
  await expect(restore(file)).rejects.toThrow(/other connection\(s\) use this database/);
  const bogus = path.join(work, "bogus");
  writeFileSync(bogus, "hello\n");
  await expect(restore(bogus)).rejects.toThrow(/is not a SIP Admin Portal backup/);
});
