// Config + revision survive an emulator restart with the same --state-dir; the manifest lists every phone.
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, deviceUrl, startTestFleet } from "./support";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("persistence", () => {
  it("keeps each phone's config and revision across a fleet restart", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "emu-state-"));
    dirs.push(dir);
    const stateDir = path.join(dir, "state");
    const manifest = path.join(dir, "manifest.json");

    const first = await startTestFleet({ sip: false, stateDir, manifest, controlPort: undefined });
    let changed: { revision: number; values: Record<string, unknown> };
    try {
      const res = await call(deviceUrl(1, "/config"), {
        method: "PATCH",
        body: { values: { "voip/dial_timeout": 33, "voip/line/0/auth_password": "kept" } },
      });
      expect(res.status).toBe(200);
      changed = res.json();
      expect(JSON.parse(await readFile(manifest, "utf8"))).toEqual([
        { name: "MT505-0001", address: "127.41.1.1:8080", username: "admin", password: "s3cret", sipUser: "1001", mac: "00:1f:9c:29:01:01", keyProfile: "mt505", api: "json", provisioning: false },
        { name: "MT505-0002", address: "127.41.1.2:8080", username: "admin", password: "s3cret", sipUser: "1002", mac: "00:1f:9c:29:01:02", keyProfile: "mt505", api: "json", provisioning: false },
      ]);
    } finally {
      await first.stop();
    }
    // Only the changed phone wrote a file, and no temp file is left behind.
    expect(await readdir(stateDir)).toEqual(["device-127.41.1.2.json"]);
    // The file holds the line's SIP password: owner-only.
    expect((await stat(path.join(stateDir, "device-127.41.1.2.json"))).mode & 0o777).toBe(0o600);

    const second = await startTestFleet({ sip: false, stateDir, controlPort: undefined });
    try {
      const again = (await call(deviceUrl(1, "/config"))).json<typeof changed>();
      expect(again).toEqual(changed);
      expect(second.devices[1].rawValues()["voip/line/0/auth_password"]).toBe("kept");
      expect((await call(deviceUrl(0, "/config"))).json().revision).toBe(1);
    } finally {
      await second.stop();
    }
  });
});
