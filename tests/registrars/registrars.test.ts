// Registrars as a status source against a REAL Kamailio (jsonrpcs + xhttp) with emulated phones registered to
// it over UDP: the portal's view of the bindings equals `kamcmd ul.dump`, each device's status reply carries the
// registrar's binding, and a registrar that stops answering makes the portal say "unknown", not "registered".
// Address range (i14-net): Kamailio 127.70.0.1:5060 (JSON-RPC tcp 5071), phones 127.70.1.1–3:8080.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kamailio, kamailioAvailable } from "../../emulator/test/support/kamailio";
import { startFleet, type Emulator } from "../../emulator/src/fleet/index";
import { call } from "@/tests/support/api";
import { closeDeviceClients } from "@/lib/device";
import { createDevice } from "@/lib/inventory/devices";
import { Poller } from "@/lib/poller";
import { registrarMonitor, stopRegistrarMonitor } from "@/lib/registrars";
import * as registrarsRoute from "@/app/api/v1/registrars/route";
import * as registrarRoute from "@/app/api/v1/registrars/[id]/route";
import * as statusRoute from "@/app/api/v1/devices/[id]/status/route";
import { useApiFixture } from "../api/support";

const available = kamailioAvailable();
if (!available) console.warn("SKIPPED: registrar tests need /usr/sbin/kamailio and kamcmd");

const f = useApiFixture();
const kamailio = new Kamailio({ host: "127.70.0.1", port: 5060, rpcPort: 5071 });
const PHONES = ["127.70.1.1", "127.70.1.2", "127.70.1.3"];
let fleet: Emulator;
let poller: Poller;
const ids: string[] = [];

async function eventually<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `kamcmd ul.dump` text → sorted "aor contact" pairs. */
function kamcmdBindings(text: string): string[] {
  const out: string[] = [];
  let aor = "";
  for (const line of text.split("\n")) {
    const a = /^\s*AoR:\s*(\S+)/.exec(line);
    if (a) aor = a[1];
    const c = /^\s*Address:\s*(\S+)/.exec(line);
    if (c) out.push(`${aor} ${c[1]}`);
  }
  return out.sort();
}

describe.skipIf(!available)("registrars (Kamailio ul.dump over JSON-RPC)", () => {
  beforeAll(async () => {
    await kamailio.start();
    fleet = await startFleet({ devices: 3, firstIp: PHONES[0], httpPort: 8080, username: "admin", password: "pw", proxy: kamailio.address, t1: 100 });
    for (const ip of PHONES.slice(0, 2)) ids.push((await createDevice({ name: `phone ${ip}`, address: `${ip}:8080`, username: "admin", password: "pw" }, "test")).id);
    await eventually("3 phones registered at Kamailio", async () => kamcmdBindings(await kamailio.dump()).length, (n) => n === 3);
    poller = new Poller({ intervalS: 1, concurrency: 4, timeoutMs: 2_000 });
    await poller.start();
  });
  afterAll(async () => {
    await poller?.stop();
    await stopRegistrarMonitor();
    await fleet?.stop();
    await kamailio.dispose();
    await closeDeviceClients();
  });

  it("refuses bad input with the field named, and viewers", async () => {
    const bad = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.admin, body: { name: "x", kind: "opensips", url: "localhost" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["kind", "url"]);
    const viewer = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.viewer, body: { name: "x", kind: "kamailio", url: kamailio.rpcUrl } });
    expect(viewer.status).toBe(403);
  });

  it("reads the same bindings as kamcmd ul.dump and matches them to devices", async () => {
    const created = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.admin, body: { name: "core-1", kind: "kamailio", url: kamailio.rpcUrl } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "core-1", kind: "kamailio", contacts: 3, matched: 2, lastError: null });
    const dup = await call(registrarsRoute.POST, "POST", "/registrars", { token: f.admin, body: { name: "core-1", kind: "kamailio", url: kamailio.rpcUrl } });
    expect(dup.status).toBe(409);

    const one = await call(registrarRoute.GET, "GET", `/registrars/${created.body.id}`, { token: f.viewer, params: { id: created.body.id } });
    expect(one.status).toBe(200);
    const portal = (one.body.bindings as { aor: string; contact: string }[]).map((b) => `${b.aor} ${b.contact}`).sort();
    expect(portal).toEqual(kamcmdBindings(await kamailio.dump()));

    for (const [i, id] of ids.entries()) {
      const s = await call(statusRoute.GET, "GET", `/devices/${id}/status`, { token: f.viewer, params: { id } });
      expect(s.status).toBe(200);
      expect(s.body.registrar).toMatchObject({ name: "core-1", state: "registered", via: kamailio.address });
      expect(s.body.registrar.contact).toContain(`@${PHONES[i]}:5060`);
      expect(new Date(s.body.registrar.expiresAt).getTime()).toBeGreaterThan(Date.now());
    }
  });

  it("says unknown (not registered) when the registrar cannot be read, and shows a disagreement with the phone", async () => {
    await kamailio.stop();
    await registrarMonitor().refresh();
    const list = await call(registrarsRoute.GET, "GET", "/registrars", { token: f.viewer });
    expect(list.body[0]).toMatchObject({ name: "core-1", contacts: null, matched: null });
    expect(list.body[0].lastError).toMatch(/core-1: not reachable/);
    const s = await call(statusRoute.GET, "GET", `/devices/${ids[0]}/status`, { token: f.viewer, params: { id: ids[0] } });
    expect(s.body.registrar).toMatchObject({ state: "unknown", name: null, contact: null, mismatch: null });

    // Restarted, Kamailio's in-memory location table is empty while the phone still believes it is registered
    // (it re-registers only when its binding is due): the two sources disagree and the reply says so.
    await kamailio.start();
    await registrarMonitor().refresh();
    const after = await eventually(
      "the phone's own report next to the registrar's",
      async () => (await call(statusRoute.GET, "GET", `/devices/${ids[0]}/status`, { token: f.viewer, params: { id: ids[0] } })).body,
      (b) => b.state === "registered",
    );
    expect(after.registeredTo).toBe(kamailio.address);
    expect(after.registrar).toMatchObject({ state: "unregistered", name: null });
    expect(after.registrar.mismatch).toBe(`The phone reports being registered to ${kamailio.address}, but no registrar holds a binding for it.`);
  });

  it("deletes a registrar; then status replies carry no registrar", async () => {
    const list = await call(registrarsRoute.GET, "GET", "/registrars", { token: f.viewer });
    const del = await call(registrarRoute.DELETE, "DELETE", `/registrars/${list.body[0].id}`, { token: f.admin, params: { id: list.body[0].id } });
    expect(del.status).toBe(204);
    const s = await call(statusRoute.GET, "GET", `/devices/${ids[0]}/status`, { token: f.viewer, params: { id: ids[0] } });
    expect(s.body.registrar).toBeNull();
    const again = await call(registrarRoute.DELETE, "DELETE", `/registrars/${list.body[0].id}`, { token: f.admin, params: { id: list.body[0].id } });
    expect(again.status).toBe(404);
  });
});
