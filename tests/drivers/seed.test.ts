// The demo's inventory seed from the emulator's manifest: a mixed fleet's phones get the driver, model and MAC the
// manifest says (JSON API, web interface, provisioning); an older manifest without them gives JSON-API mt505 phones.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDesiredConfig } from "@/lib/config-store";
import { listDevices } from "@/lib/inventory/devices";
import { seedFromManifest } from "@/lib/inventory/seed";
import { useTempDataDir } from "@/tests/support/db";

const data = useTempDataDir();

describe("seedFromManifest", () => {
  it("adds each phone with the driver, model and MAC of its manifest entry, once", async () => {
    const base = { username: "admin", password: "admin", sipUser: "1001" };
    const file = path.join(data.dir, "manifest.json");
    writeFileSync(
      file,
      JSON.stringify([
        { ...base, name: "old", address: "127.63.9.1:8080" },
        { ...base, name: "api", address: "127.63.9.2:8080", mac: "00:1f:9c:3f:09:02", keyProfile: "mt505", api: "json", provisioning: false },
        { ...base, name: "web", address: "127.63.9.3:8080", mac: "00:90:8f:3f:09:03", keyProfile: "audiocodes-hd", api: "web", provisioning: false },
        { ...base, name: "prov", address: "127.63.9.4:8080", mac: "00:90:8f:3f:09:04", keyProfile: "audiocodes-hd", api: "json", provisioning: true },
      ]),
    );
    const proxy = { "voip/signalling/sip/proxy_address": "127.63.9.250", "voip/signalling/sip/use_proxy": 1 };
    expect(await seedFromManifest(file, "demo", proxy)).toHaveLength(4);
    expect(await seedFromManifest(file)).toHaveLength(0);
    const listed = await listDevices({ sort: "name" });
    const byName = Object.fromEntries(listed.items.map((d) => [d.name, { driver: d.driver, model: d.model, mac: d.mac }]));
    expect(byName).toEqual({
      old: { driver: "api", model: "mt505", mac: null },
      api: { driver: "api", model: "mt505", mac: "001f9c3f0902" },
      web: { driver: "web", model: "audiocodes-hd", mac: "00908f3f0903" },
      prov: { driver: "provisioning", model: "audiocodes-hd", mac: "00908f3f0904" },
    });
    // The provisioning phone's desired config (what its first file carries) holds the seeded values and its SIP user;
    // the others stay as they are until read.
    const id = (name: string) => (listed.items.find((d) => d.name === name)!).id;
    const prov = await getDesiredConfig(id("prov"));
    expect(prov.values).toMatchObject({ ...proxy, "voip/line/0/id": "1001", "voip/line/0/auth_name": "1001" });
    expect((await getDesiredConfig(id("web"))).values["voip/signalling/sip/proxy_address"]).not.toBe("127.63.9.250");
    // A seed value the catalog refuses adds nothing at all (one transaction) and says which value.
    const bad = path.join(data.dir, "bad.json");
    writeFileSync(bad, JSON.stringify([{ ...base, name: "prov2", address: "127.63.9.5:8080", mac: "00:90:8f:3f:09:05", keyProfile: "audiocodes-hd", api: "json", provisioning: true }]));
    await expect(seedFromManifest(bad, "demo", { "voip/signalling/sip/proxy_port": 80 })).rejects.toThrow(/SEED_PROVISIONING_CONFIG .*proxy_port/);
    expect((await listDevices({})).total).toBe(4);
  });
});
